package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.testkit.Await;

/**
 * The real program in its own JVM, scripted through a pipe the way
 * {@code printf 'bob/hi\n:q\n' | java -jar p2pchat-chat.jar alice} would be, with bob running
 * in-process to receive.
 */
class ScriptedProcessTest {
    /**
     * What the chat jar's manifest says (Enable-Native-Access): on JDK 22+ sqlite-jdbc's native
     * library would otherwise print a warning on stderr, which these tests read. JDK 17 knows
     * the option too.
     */
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    @Test
    void pipedScriptIsCarriedOutAndColonQExitsZero(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        Path userInfo = table(dir, ports);
        ProcessBuilder builder = alice(dir, userInfo);

        try (ChatApp bob = ChatApp.start("bob", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("bob-state").toString())) {
            bob.awaitFingerprint();
            Process alice = builder.start();
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                Thread reader = collectLines(alice, output);
                try (Writer stdin = new OutputStreamWriter(alice.getOutputStream(),
                        StandardCharsets.UTF_8)) {
                    // All at once, then end of input, as a shell script would.
                    stdin.write("/peers\nbob/hi from a script\n:q\n");
                }
                bob.stdout.awaitLine("[alice] hi from a script");
                assertTrue(alice.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                        "alice did not exit; output " + output);
                assertEquals(0, alice.exitValue(), "output " + output + ", stderr "
                        + Files.readString(dir.resolve("alice.err")));
                reader.join(Await.DEFAULT.toMillis());
                assertTrue(output.get(0).matches("alice listening on 127\\.0\\.0\\.1:" + ports[0]
                        + ", key \\p{XDigit}{4}(-\\p{XDigit}{4}){3} - type friend/message, /help for"
                        + " help"), output.toString());
                assertTrue(output.stream().anyMatch(l -> l.matches("  bob\\s+127\\.0\\.0\\.1:"
                        + ports[1] + "\\s+table\\s+idle\\s+never\\s+-\\s+-")), output.toString());
                assertTrue(output.stream().anyMatch(l -> l.startsWith("* bob's key ")
                        && l.endsWith(" trusted on first use (compare fingerprints out of band)")),
                        output.toString());
                assertTrue(Files.isRegularFile(dir.resolve("alice-state").resolve("identity.key")),
                        "alice keeps her identity in --state-dir");
                assertTrue(output.stream().noneMatch(l -> l.startsWith("!") || l.contains("\u001b")),
                        output.toString());
                assertEquals("", Files.readString(dir.resolve("alice.err")));
            } finally {
                alice.destroyForcibly();
            }
        }
    }

    @Test
    void theHistoryOfTheLastRunIsShownWhenTheChatStartsAgainAndCanBeSearched(@TempDir Path dir)
            throws Exception {
        int[] ports = FreePorts.pick(2);
        Path userInfo = table(dir, ports);
        String stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d ";
        try (ChatApp bob = ChatApp.start("bob", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("bob-state").toString())) {
            bob.awaitFingerprint();
            List<String> first = runAlice(dir, userInfo, "bob/hi from the last run\n:q\n");
            bob.stdout.awaitLine("[alice] hi from the last run");
            assertTrue(first.stream().noneMatch(l -> l.startsWith("--- ")), first.toString());
            // Waits in bob's outbox while alice is away, and reaches her next run.
            bob.type("alice/and a reply");
            try (ChatApp alice = ChatApp.start("alice", "--user-info", userInfo.toString(),
                    "--state-dir", dir.resolve("alice-state").toString())) {
                alice.stdout.awaitLine("--- bob (/history bob for more) ---");
                alice.stdout.awaitLine("the message of the last run",
                        l -> l.matches(stamp + "\\[you -> bob\\] hi from the last run"));
                alice.stdout.awaitLine("--- end of history ---");
                alice.stdout.awaitLine("[bob] and a reply");
                alice.type("/search reply");
                alice.stdout.awaitLine("the reply, found",
                        l -> l.matches(stamp + "\\[bob\\] and a reply"));
                // The start showed everything there was before the reply: nothing older.
                alice.type("/history bob");
                alice.stdout.awaitLine("* no older messages with bob");
                ChatApp.assertNoErrors(alice);
            }
        }
    }

    /** Runs alice with a script on stdin until she exits; returns what she printed. */
    private static List<String> runAlice(Path dir, Path userInfo, String script)
            throws Exception {
        Process alice = alice(dir, userInfo).start();
        try {
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = collectLines(alice, output);
            try (Writer stdin = new OutputStreamWriter(alice.getOutputStream(),
                    StandardCharsets.UTF_8)) {
                stdin.write(script);
            }
            assertTrue(alice.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                    "alice did not exit; output " + output);
            reader.join(Await.DEFAULT.toMillis());
            assertEquals(0, alice.exitValue(), "output " + output);
            return output;
        } finally {
            alice.destroyForcibly();
        }
    }

    @Test
    void libraryLogLinesGoToTheLogFileNeverAmongTheChatLines(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        Path userInfo = table(dir, ports);
        Path state = Files.createDirectories(dir.resolve("alice-state"));
        Path log = state.resolve("chat.log");
        Files.writeString(log, "a line from an earlier run\n", StandardCharsets.UTF_8);

        try (ChatApp bob = ChatApp.start("bob", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("bob-state").toString())) {
            bob.awaitFingerprint();
            Process alice = alice(dir, userInfo).start();
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                collectLines(alice, output);
                try (Writer stdin = new OutputStreamWriter(alice.getOutputStream(),
                        StandardCharsets.UTF_8)) {
                    Await.until("alice's start-up line in " + output,
                            () -> output.stream().anyMatch(l -> l.startsWith("alice listening")));
                    // Strangers at alice's port: an HTTP probe (its first bytes read as a huge
                    // length), a handshake message of the wrong size, one that connects and leaves.
                    probe(ports[0], "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    probe(ports[0], new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5});
                    probe(ports[0], new byte[0]);
                    Await.until("the library's warnings in the log file", () -> {
                        String logged = read(log);
                        return logged.contains("WARN") && logged.contains("announced a frame of")
                                && logged.contains("handshake message 1 of 5 bytes");
                    });

                    bob.type("alice/after the probes");
                    Await.until("bob's message in " + output,
                            () -> output.contains("[bob] after the probes"));
                    stdin.write("/help\nbob/still chatting\n:q\n");
                }
                bob.stdout.awaitLine("[alice] still chatting");
                assertTrue(alice.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                        "alice did not exit; output " + output);
                assertEquals(0, alice.exitValue());

                assertTrue(output.stream().noneMatch(l -> l.contains("WARN")
                        || l.contains("org.p2pchat") || l.contains("p2pchat-nio")), output.toString());
                assertTrue(output.contains("  library log lines go to " + log
                        + ", never to the screen"), "/help says where the log is: " + output);
                assertEquals("", Files.readString(dir.resolve("alice.err")));
                List<String> logged = Files.readAllLines(log, StandardCharsets.UTF_8);
                assertEquals("a line from an earlier run", logged.get(0), "appended");
                assertTrue(logged.get(1).startsWith("--- ") && logged.get(1).contains(" alice"
                        + " started (process "), logged.toString());
            } finally {
                alice.destroyForcibly();
            }
        }
    }

    @Test
    void aScriptedJoinerWithoutATableEntryPrintsThePortItPickedAndItsLinesReachTheRoom(
            @TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        Path userInfo = table(dir, ports);
        try (ChatApp bob = ChatApp.start("bob", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("bob-state").toString())) {
            bob.awaitFingerprint();
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // zoe is in no table: with --join she listens on a port of her choosing.
            ProcessBuilder builder = new ProcessBuilder(java, NATIVE_ACCESS, "-cp",
                    System.getProperty("java.class.path"), "-Dp2pchat.transport=nio",
                    ConsoleChat.class.getName(), "zoe", "--user-info", userInfo.toString(),
                    "--state-dir", dir.resolve("zoe-state").toString(), "--join",
                    "127.0.0.1:" + ports[1]);
            builder.redirectError(dir.resolve("zoe.err").toFile());
            Process zoe = builder.start();
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                collectLines(zoe, output);
                try (Writer stdin = new OutputStreamWriter(zoe.getOutputStream(),
                        StandardCharsets.UTF_8)) {
                    // At once, before the join has completed: the line waits for the room.
                    stdin.write("hello room, from a script\n:q\n");
                }
                bob.stdout.awaitLine("* zoe joined #general");
                bob.stdout.awaitLine("[#general] zoe: hello room, from a script");
                bob.stdout.awaitLine("* zoe left #general");
                assertTrue(zoe.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                        "zoe did not exit; output " + output);
                assertEquals(0, zoe.exitValue(), "output " + output);
                Matcher greeting = Pattern.compile("zoe listening on 127\\.0\\.0\\.1:(\\d+), key"
                        + " \\S+ - type friend/message, /help for help").matcher(output.get(0));
                assertTrue(greeting.matches(), output.toString());
                int port = Integer.parseInt(greeting.group(1));
                assertTrue(port != 0 && port != ports[0] && port != ports[1], output.toString());
                assertTrue(output.contains("* you joined #general through 127.0.0.1:" + ports[1]
                        + ", with bob; type a message for it, /members lists who is in"),
                        output.toString());
                assertTrue(output.stream().noneMatch(l -> l.startsWith("!")), output.toString());
                assertEquals("", Files.readString(dir.resolve("zoe.err")));
            } finally {
                zoe.destroyForcibly();
            }
        }
    }

    private static Path table(Path dir, int[] ports) throws IOException {
        return Files.writeString(dir.resolve("user_info"), "alice 127.0.0.1:" + ports[0]
                + "\nbob 127.0.0.1:" + ports[1] + "\n", StandardCharsets.UTF_8);
    }

    /** alice as a child JVM with her state under the test's directory and stderr in a file. */
    private static ProcessBuilder alice(Path dir, Path userInfo) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, NATIVE_ACCESS, "-cp",
                System.getProperty("java.class.path"), "-Dp2pchat.transport=nio",
                ConsoleChat.class.getName(), "alice", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("alice-state").toString());
        builder.redirectError(dir.resolve("alice.err").toFile());
        return builder;
    }

    /** Connects to a port on 127.0.0.1, writes the bytes, and closes. */
    private static void probe(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread collectLines(Process process, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    into.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "alice-stdout");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
