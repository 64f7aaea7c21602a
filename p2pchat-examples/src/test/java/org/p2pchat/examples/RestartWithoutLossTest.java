package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;
import org.p2pchat.testkit.Await;

/**
 * Exactly once across {@code kill -9}, over nio with the SQLite store, with peers in child JVMs:
 * a sender killed once its messages passed their durability point sends them again when it
 * starts, and a receiver killed mid-stream delivers nothing twice after it restarts.
 */
class RestartWithoutLossTest {
    private static final int MESSAGES = 1000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aSenderKilledAfterItsMessagesAreDurableSendsThemAllOnceAfterItRestarts(
            @TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        meet(dir, ports);
        sendAndKill(dir, ports);
        // bob was down all along; alice comes back first, then bob.
        ChildPeer again = child(dir, "alice", ports[0], "bob", ports[1]);
        List<String> got = new CopyOnWriteArrayList<>();
        try (Peer bob = peer(dir, "bob", ports, got)) {
            again.await("READY");
            // Behind everything restored: once it is here, every copy would be too.
            again.command("send 1 end");
            Await.until("bob has the marker", PATIENCE, () -> got.contains("end-0"));
            assertEquals(expected(MESSAGES, "end-0"), got, "every message once, in order");
            assertHistoryHasEachOnce(bob, "alice", MESSAGES);
        } finally {
            again.command("quit");
            again.awaitExit();
        }
    }

    @Test
    void aSenderKilledWhileItsFriendReceivesSendsTheRestOnceAfterItRestarts(@TempDir Path dir)
            throws Exception {
        int[] ports = FreePorts.pick(2);
        meet(dir, ports);
        List<String> got = new CopyOnWriteArrayList<>();
        try (Peer bob = peer(dir, "bob", ports, got)) {
            // Killed wherever the stream is: some delivered and acknowledged, some delivered
            // and not acknowledged yet, some still to send.
            sendAndKill(dir, ports);
            int before = got.size();
            ChildPeer again = child(dir, "alice", ports[0], "bob", ports[1]);
            try {
                again.await("READY");
                again.command("send 1 end");
                Await.until("bob has the marker", PATIENCE, () -> got.contains("end-0"));
                assertEquals(expected(MESSAGES, "end-0"), got, "every message once, in order ("
                        + before + " had arrived when the sender was killed)");
                assertHistoryHasEachOnce(bob, "alice", MESSAGES);
            } finally {
                again.command("quit");
                again.awaitExit();
            }
        }
    }

    @Test
    void aReceiverKilledMidStreamDeliversNothingTwiceAfterItRestarts(@TempDir Path dir)
            throws Exception {
        int[] ports = FreePorts.pick(2);
        meet(dir, ports);
        ChildPeer bob = child(dir, "bob", ports[1], "alice", ports[0]);
        List<String> got = new ArrayList<>();
        try (Peer alice = peer(dir, "alice", ports, new CopyOnWriteArrayList<>())) {
            bob.await("READY");
            for (int i = 0; i < MESSAGES; i++) {
                alice.send("bob", "m-" + i);
            }
            bob.awaitGot(MESSAGES / 3);
            bob.kill();
            got.addAll(bob.got());
            ChildPeer again = child(dir, "bob", ports[1], "alice", ports[0]);
            try {
                again.await("READY");
                alice.send("bob", "end-0");
                Await.until("bob has the marker", PATIENCE, () -> again.got().contains("end-0"));
                got.addAll(again.got());
            } finally {
                again.command("quit");
                again.awaitExit();
            }
        }
        assertEquals(new HashSet<>(got).size(), got.size(), "nothing delivered twice: " + got);
        List<String> sorted = new ArrayList<>(got);
        sorted.sort(RestartWithoutLossTest::byNumber);
        assertEquals(sorted, got, "delivered in order");
        try (Peer bob2 = peer(dir, "bob", ports, new CopyOnWriteArrayList<>())) {
            assertHistoryHasEachOnce(bob2, "alice", MESSAGES);
        }
    }

    /** alice, in a child JVM, sends the messages to bob and is killed once they are durable. */
    private static void sendAndKill(Path dir, int[] ports) throws Exception {
        ChildPeer alice = child(dir, "alice", ports[0], "bob", ports[1]);
        try {
            alice.await("READY");
            alice.command("send " + MESSAGES + " m");
            alice.await("FLUSHED " + MESSAGES);
        } finally {
            alice.kill();
        }
    }

    /** alice and bob exchange a message, so each learns the other's key (trust on first use). */
    private static void meet(Path dir, int[] ports) {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Peer bob = peer(dir, "bob", ports, got);
                Peer alice = peer(dir, "alice", ports, new CopyOnWriteArrayList<>())) {
            Await.result(alice.send("bob", "hello"));
            Await.result(bob.send("alice", "hello"));
        }
    }

    private static Peer peer(Path dir, String name, int[] ports, List<String> got) {
        PeerDirectory directory = PeerDirectory.of(
                new PeerEntry("alice", PeerAddress.loopback(ports[0])),
                new PeerEntry("bob", PeerAddress.loopback(ports[1])));
        return P2pChat.builder(name).directory(directory).stateDirectory(dir.resolve(name))
                .transport("nio").deliveryTimeout(PATIENCE).listener(m -> got.add(m.text()))
                .start();
    }

    private static List<String> expected(int count, String last) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add("m-" + i);
        }
        all.add(last);
        return all;
    }

    private static int byNumber(String a, String b) {
        if (a.startsWith("end") || b.startsWith("end")) {
            return Boolean.compare(a.startsWith("end"), b.startsWith("end"));
        }
        return Integer.compare(Integer.parseInt(a.substring(2)), Integer.parseInt(b.substring(2)));
    }

    /** The receiver's history holds each of the messages exactly once. */
    private static void assertHistoryHasEachOnce(Peer receiver, String sender, int count) {
        Conversation conversation = receiver.conversation(sender).orElseThrow();
        List<HistoryRecord> all = new ArrayList<>();
        List<HistoryRecord> page = receiver.history(conversation, HistoryQuery.latest(500));
        while (!page.isEmpty()) {
            all.addAll(page);
            page = receiver.history(conversation,
                    HistoryQuery.before(page.get(page.size() - 1), 500));
        }
        List<String> texts = new ArrayList<>();
        for (HistoryRecord r : all) {
            if (!r.outgoing() && r.text().startsWith("m-")) {
                texts.add(r.text());
            }
        }
        Set<String> distinct = new HashSet<>(texts);
        assertEquals(texts.size(), distinct.size(), "no message stored twice");
        List<String> want = expected(count, "").subList(0, count);
        assertEquals(new HashSet<>(want), distinct, "every message stored");
    }

    /** A {@link RestartPeer} in its own JVM, with a delivery timeout of {@link #PATIENCE}. */
    private static ChildPeer child(Path dir, String name, int port, String friend, int friendPort)
            throws IOException {
        return ChildPeer.start(RestartPeer.class,
                List.of("-Dp2pchat.deliveryTimeout=" + PATIENCE.toSeconds() + "s"), name,
                dir.resolve(name).toString(), Integer.toString(port), friend,
                Integer.toString(friendPort));
    }
}
