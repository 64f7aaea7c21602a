package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.core.P2pChat;
import org.p2pchat.testkit.Await;

/**
 * Room catch-up across {@code kill -9}, over nio with the SQLite store: a member in a child JVM
 * killed while it receives a stream of room messages, and started again with the same state
 * directory, joins again and gets every message it had not recorded, once: its store holds each
 * message once, and its listener shows none twice, in order (it gets a message only once the
 * store has it with its position, so one recorded right before the kill is not shown again).
 */
class RoomCatchUpAfterKillTest {
    private static final int MESSAGES = 600;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aMemberKilledMidStreamShowsEveryMessageOnceAcrossItsRestart(@TempDir Path dir)
            throws Exception {
        try (Peer alice = P2pChat.builder("alice").transport("nio")
                .listenOn(PeerAddress.loopback(0)).roomDigestInterval(Duration.ofMillis(200))
                .listener(m -> { }).start()) {
            Room room = alice.createRoom("general", RoomAccess.OPEN);
            int port = alice.listenAddress().port();
            Child carol = Child.start(dir, port);
            List<String> shown = new ArrayList<>();
            try {
                carol.await("READY");
                Await.until("alice sees carol", PATIENCE, () -> room.members().size() == 2);
                for (int i = 0; i < MESSAGES; i++) {
                    room.publish("m-" + i);
                }
                carol.awaitGot(MESSAGES / 3);
            } finally {
                carol.kill();
            }
            shown.addAll(carol.got());
            Child again = Child.start(dir, port);
            try {
                again.await("READY");
                room.publish("end");
                Await.until("carol shows the marker", PATIENCE, () -> again.got().contains("end"));
                shown.addAll(again.got());
            } finally {
                again.command("quit");
                again.awaitExit();
            }
            String before = carol.got().size() + " shown before the kill, " + shown.size()
                    + " in all";
            assertEquals(new HashSet<>(shown).size(), shown.size(), "nothing shown twice: "
                    + before);
            List<String> sorted = new ArrayList<>(shown);
            sorted.sort(RoomCatchUpAfterKillTest::byNumber);
            assertEquals(sorted, shown, "shown in order: " + before);
            // A message recorded right before the kill, whose listener call the kill prevented,
            // is in the history and not shown again (as direct messages are): what counts is
            // that the store has each message once.
            List<String> want = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                want.add("m-" + i);
            }
            want.add("end");
            try (Peer carolAgain = P2pChat.builder("carol").transport("nio")
                    .listenOn(PeerAddress.loopback(0)).stateDirectory(dir.resolve("carol"))
                    .listener(m -> { }).start()) {
                List<String> stored = storedTexts(carolAgain, room.conversation());
                assertEquals(want.size(), stored.size(), "each message stored once: " + before);
                assertEquals(new HashSet<>(want), new HashSet<>(stored), before);
            }
            assertTrue(shown.size() >= MESSAGES / 3 + 1, before);
        }
    }

    private static int byNumber(String a, String b) {
        return Integer.compare(number(a), number(b));
    }

    private static int number(String text) {
        return text.equals("end") ? Integer.MAX_VALUE : Integer.parseInt(text.substring(2));
    }

    /** The texts of a room conversation's history, every page of it. */
    private static List<String> storedTexts(Peer peer, Conversation conversation) {
        List<String> texts = new ArrayList<>();
        List<HistoryRecord> page = peer.history(conversation, HistoryQuery.latest(500));
        while (!page.isEmpty()) {
            for (HistoryRecord r : page) {
                texts.add(r.text());
            }
            page = peer.history(conversation, HistoryQuery.before(page.get(page.size() - 1), 500));
        }
        return texts;
    }

    /** A {@link RoomRestartPeer} in its own JVM. */
    private static final class Child {
        private final Process process;
        private final Writer stdin;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        private Child(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The child was killed: what it printed is all there is.
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path dir, int memberPort) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder b = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dp2pchat.roomDigestInterval=200ms",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    RoomRestartPeer.class.getName(), "carol", dir.resolve("carol").toString(),
                    "general", Integer.toString(memberPort));
            b.redirectError(ProcessBuilder.Redirect.INHERIT);
            return new Child(b.start());
        }

        void command(String line) throws IOException {
            if (process.isAlive()) {
                stdin.write(line + "\n");
                stdin.flush();
            }
        }

        void await(String line) {
            Await.until(line + " from the child", PATIENCE, () -> {
                if (!process.isAlive() && !lines.contains(line)) {
                    throw new AssertionError("the child ended with " + process.exitValue()
                            + " before " + line);
                }
                return lines.contains(line);
            });
        }

        void awaitGot(int count) {
            Await.until(count + " messages in the child", PATIENCE, () -> got().size() >= count);
        }

        List<String> got() {
            List<String> texts = new ArrayList<>();
            synchronized (lines) {
                for (String l : lines) {
                    if (l.startsWith("GOT ")) {
                        texts.add(l.substring(4));
                    }
                }
            }
            return texts;
        }

        /** {@code kill -9}: the JVM gets no chance to close anything, nor to leave the room. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "killed");
        }

        void awaitExit() throws InterruptedException {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child did not quit");
            }
        }
    }
}
