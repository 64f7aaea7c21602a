package org.p2pchat.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.testkit.Await;

/**
 * A child JVM ({@link CrashWriter}) writes to the store and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at 20 random moments; after each, reopening the database
 * finds every record the child reported committed, an intact database
 * ({@code PRAGMA integrity_check}) and no exception, and the outbox in the order written across
 * the children's epochs. The moments are chosen by a seeded random
 * count of commits reported, plus a random number of further lines read, so no test waits a
 * fixed time. The child's output goes to a file, so
 * the commits it reported in the instant before the kill are checked too.
 */
class SqliteCrashTest {
    private static final long SEED = 0x5EED_C0FFEEL;
    private static final int ROUNDS = 20;

    @TempDir
    Path directory;

    /** The first number of each child started, whose epoch is {@link CrashWriter#epoch}. */
    private final List<Long> firsts = new ArrayList<>();

    @Test
    void everyCommittedWriteSurvivesAKillMinus9AtTwentyRandomMoments() throws Exception {
        Random random = new Random(SEED);
        Set<Long> committed = new HashSet<>();
        long next = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // A spread of moments: right after opening, and well into a run of group commits.
            int killAfter = round == 0 ? 0 : random.nextInt(random.nextBoolean() ? 50 : 3_000);
            List<Long> reported = runAndKill(next, killAfter);
            committed.addAll(reported);
            long max = reported.isEmpty() ? next - 1 : reported.get(reported.size() - 1);
            next = max + 1_000_000;
            verify(committed, round, max);
        }
        assertTrue(committed.size() > ROUNDS * 100,
                "the child committed enough to matter: " + committed.size());
    }

    /**
     * Starts the child, kills it once it printed more than {@code killAfter} lines, and returns
     * every commit it reported. Its output goes to a file, so that every line it printed before
     * it died is read, even those printed while the kill was on its way.
     */
    private List<Long> runAndKill(long first, int killAfter) throws Exception {
        Path output = directory.resolve("child-" + first + ".out");
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-cp", childClassPath(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashWriter.class.getName(),
                directory.toString(), Long.toString(first));
        pb.redirectOutput(output.toFile());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        try {
            Await.until("the child to report " + killAfter + " commits", Duration.ofSeconds(30),
                    () -> lines(output).size() > killAfter || !child.isAlive());
            assertTrue(child.isAlive(), "the child died by itself: exit " + exitValue(child));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ends when killed");
        }
        List<Long> reported = new ArrayList<>();
        firsts.add(first);
        for (String line : lines(output)) {
            if (line.startsWith("committed ")) {
                reported.add(Long.parseLong(line.substring("committed ".length())));
            } else if (!line.equals("ready")) {
                throw new AssertionError("the child reported: " + line);
            }
        }
        return reported;
    }

    /** The complete lines of the child's output so far. */
    private static List<String> lines(Path output) {
        try {
            String text = Files.readString(output, StandardCharsets.US_ASCII);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int exitValue(Process p) {
        try {
            return p.exitValue();
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }

    private void verify(Set<Long> committed, int round, long lastReported) throws SQLException {
        Path file = directory.resolve(SqliteStore.FILE_NAME);
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            Set<Long> stored = new HashSet<>();
            List<HistoryRecord> page = store.history(CrashWriter.CONVERSATION,
                    HistoryQuery.latest(2_000));
            while (!page.isEmpty()) {
                for (HistoryRecord r : page) {
                    stored.add(Long.parseLong(r.messageId().substring(1)));
                }
                page = store.history(CrashWriter.CONVERSATION,
                        HistoryQuery.before(page.get(page.size() - 1), 2_000));
            }
            Set<Long> missing = new LinkedHashSet<>(committed);
            missing.removeAll(stored);
            assertEquals(Set.of(), missing, "round " + round + ": committed records missing");
            Set<Long> found = new HashSet<>();
            for (HistoryRecord r : store.search("crash record", stored.size() + 1)) {
                found.add(Long.parseLong(r.messageId().substring(1)));
            }
            assertEquals(stored, found, "round " + round + ": search finds every record, indexed"
                    + " or not yet");
            Set<Long> outbox = new HashSet<>();
            long previous = -1;
            for (OutboxRecord e : store.outbox()) {
                outbox.add(e.seq());
                assertTrue(e.seq() > previous, "round " + round + ": entry " + e.seq()
                        + " listed after " + previous + ": not in the order written");
                previous = e.seq();
                assertEquals(CrashWriter.epoch(childOf(e.seq())), e.epoch(),
                        "round " + round + ": entry " + e.seq() + " has its child's epoch");
            }
            assertEquals(stored, outbox, "round " + round + ": each record with its outbox entry");
            if (lastReported >= 0 && !committed.isEmpty()) {
                long last = Long.parseLong(new String(store.value("last").orElseThrow(),
                        StandardCharsets.US_ASCII));
                assertTrue(last >= lastReported, "round " + round + ": value last " + last
                        + " is at least the last reported commit " + lastReported);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            assertTrue(r.next());
            assertEquals("ok", r.getString(1), "round " + round + ": integrity_check");
        }
    }

    /** The first number of the child that wrote a number: the greatest first not above it. */
    private long childOf(long n) {
        long child = firsts.get(0);
        for (long first : firsts) {
            if (first <= n) {
                child = Math.max(child, first);
            }
        }
        return child;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The test's class path for the child: what surefire put on the module path and the class
     * path, and the test classes, all on the child's class path (it runs unnamed, as a plain
     * application would, and finds the provider through META-INF/services).
     */
    static String childClassPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        Path testClasses = Path.of(CrashWriter.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        entries.add(testClasses.toString());
        entries.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        entries.add(Path.of("target", "classes").toAbsolutePath().toString());
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String e : value.split(File.pathSeparator)) {
                    if (!e.isBlank()) {
                        entries.add(e);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
