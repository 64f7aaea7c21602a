package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.OutboxFullException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.FaultyProxy;

/**
 * Delivery over the NIO transport through a proxy on 127.0.0.1 that cuts or stalls the
 * connection: every message arrives once, in order, and every send completes.
 */
class ReliableDeliveryTest {
    private final MutableDirectory directory = new MutableDirectory();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Peer peer(String name, MessageListener inbox, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport("nio").listenOn(PeerAddress.loopback(0))
                .directory(directory).listener(inbox).reconnectDelay(Duration.ofMillis(5))
                .maxReconnectDelay(Duration.ofMillis(50))
                .maxHandshakeRetryDelay(Duration.ofMillis(50))).start();
        toClose.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    /** Puts bob behind a proxy: alice's table sends her there. */
    private FaultyProxy proxyInFrontOf(Peer bob) {
        FaultyProxy proxy = FaultyProxy.start(bob.listenAddress());
        toClose.add(proxy);
        directory.put("bob", proxy.address());
        return proxy;
    }

    /** Reads {@code count} messages and checks they are numbered 0, 1, 2... with no gap. */
    private static void expectInOrder(Inbox inbox, int count) {
        for (int i = 0; i < count; i++) {
            assertEquals("message " + i, inbox.next().text(), "gap or duplicate at " + i);
        }
    }

    @Test
    void tenThousandMessagesAcrossTwentyCutsArriveOnceInOrderAndEverySendCompletes() {
        long seed = 4_2024L;
        Random random = new Random(seed);
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b);
        Peer alice = peer("alice", new Inbox(), b -> b);
        FaultyProxy proxy = proxyInFrontOf(bob);
        int rounds = 20;
        int perRound = 500;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // Counted from now, client to server: lands anywhere, handshakes and mid-frame included.
            proxy.cutAfterBytes(random.nextInt(4_000));
            for (int i = 0; i < perRound; i++) {
                sent.add(alice.send("bob", "message " + (round * perRound + i)).toCompletableFuture());
            }
            int connections = round + 2;
            Await.until("cut " + (round + 1) + " and a new connection (seed " + seed + ")",
                    () -> proxy.connectionsAccepted() >= connections);
        }
        for (CompletableFuture<Void> f : sent) {
            Await.result(f);
        }
        expectInOrder(bobInbox, rounds * perRound);
        Await.result(alice.send("bob", "end"));
        assertEquals("end", bobInbox.next().text(), "nothing after the last message but the end");
        assertTrue(proxy.connectionsAccepted() >= rounds + 1, proxy.connectionsAccepted() + " connections");
        assertEquals(0, ((ChatNode) alice).probe().outboxBytes("bob"));
    }

    @Test
    void aFriendThatStopsReadingFillsOnlyItsOutboxIsDisconnectedAfterTheWriteDeadlineAndGetsEverythingLater() {
        long outboxLimit = 256 * 1024;
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b);
        Inbox carolInbox = new Inbox();
        Peer carol = peer("carol", carolInbox, b -> b);
        Inbox aliceInbox = new Inbox();
        Peer alice = peer("alice", aliceInbox, b -> b.outboxLimitBytes(outboxLimit)
                .writeDeadline(Duration.ofMillis(300)).handshakeTimeout(Duration.ofMillis(300)));
        FaultyProxy proxy = proxyInFrontOf(bob);
        ChatNode node = (ChatNode) alice;
        long unloaded = medianRoundTripNanos(alice, carol, carolInbox, aliceInbox);

        Await.result(alice.send("bob", "message 0"));
        proxy.pause();
        String kilobyte = "k".repeat(1024);
        int accepted = 1;
        OutboxFullException full = null;
        for (int i = 1; i < 100_000 && full == null; i++) {
            CompletableFuture<Void> f = alice.send("bob", "message " + i + " " + kilobyte)
                    .toCompletableFuture();
            if (f.isCompletedExceptionally()) {
                full = assertInstanceOf(OutboxFullException.class, Await.failure(f));
            } else {
                accepted++;
            }
            assertTrue(node.probe().outboxBytes("bob") <= outboxLimit, "outbox within its bound");
        }
        assertTrue(full != null, "the outbox filled up");
        assertTrue(full.getMessage().contains("p2pchat.outboxLimitBytes"), full.getMessage());

        long loaded = medianRoundTripNanos(alice, carol, carolInbox, aliceInbox);
        // Medians of 300 round trips each; the floor keeps a 50 us baseline from failing on jitter.
        assertTrue(loaded <= Math.max(2 * unloaded, unloaded + 200_000),
                "round trip to carol " + loaded + " ns with bob stalled, " + unloaded + " ns before");

        Await.until("the write deadline to close the stalled connection and alice to call again",
                () -> proxy.connectionsAccepted() >= 2);
        proxy.resume();
        bobInbox.next();
        for (int i = 1; i < accepted; i++) {
            assertEquals("message " + i + " " + kilobyte, bobInbox.next().text(), "message " + i);
        }
        Await.until("alice's outbox to empty", () -> node.probe().outboxBytes("bob") == 0);
    }

    private static long medianRoundTripNanos(Peer alice, Peer carol, Inbox carolInbox,
            Inbox aliceInbox) {
        int n = 300;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            alice.send("carol", "ping " + i);
            carolInbox.next();
            carol.send("alice", "pong " + i);
            aliceInbox.next();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[n / 2];
    }

    @Test
    void heartbeatsStopOnceEverythingIsAcknowledgedSoAnIdleConnectionStillCloses() {
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b.idleTimeout(Duration.ofMillis(300)));
        Peer alice = peer("alice", new Inbox(), b -> b.heartbeatInterval(Duration.ofMillis(10))
                .idleTimeout(Duration.ofMillis(300)));
        Await.result(alice.send("bob", "hello"));
        assertEquals("hello", bobInbox.next().text());
        // With PINGs every 10 ms the connection would never be idle for 300 ms.
        Await.until("the idle timeout to close the connection on both sides",
                () -> alice.connectionState("bob") == ConnectionState.DISCONNECTED
                        && bob.connectionState("alice") == ConnectionState.DISCONNECTED);
        Await.result(alice.send("bob", "again"));
        assertEquals("again", bobInbox.next().text());
    }

    @Test
    void aSlowListenerClosesItsWindowSoTheSenderHoldsBackAndFailsFastInsteadOfFillingMemory()
            throws Exception {
        long window = 64 * 1024;
        CountDownLatch release = new CountDownLatch(1);
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", m -> {
            try {
                release.await(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bobInbox.onMessage(m);
        }, b -> b.receiveWindowBytes(window).maxFrameBytes(16 * 1024));
        Peer alice = peer("alice", new Inbox(), b -> b.outboxLimitBytes(256 * 1024));
        ChatNode bobNode = (ChatNode) bob;
        String text = "w".repeat(1000);
        int accepted = 0;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            CompletableFuture<Void> f = alice.send("bob", i + " " + text).toCompletableFuture();
            if (f.isCompletedExceptionally()) {
                assertInstanceOf(OutboxFullException.class, Await.failure(f));
                break;
            }
            sent.add(f);
            accepted++;
            assertTrue(bobNode.probe().backlogBytes("alice") <= window,
                    "bob holds at most his window");
        }
        assertTrue(accepted > window / 1032 && accepted < 10_000, accepted + " accepted");
        Await.until("bob's window to fill",
                () -> bobNode.probe().backlogBytes("alice") > window / 2);
        assertTrue(bobNode.probe().backlogBytes("alice") <= window, "bob holds at most his window");
        release.countDown();
        for (int i = 0; i < accepted; i++) {
            assertEquals(i + " " + text, bobInbox.next().text());
            Await.result(sent.get(i));
        }
        Await.until("bob to finish", () -> bobNode.probe().backlogBytes("alice") == 0);
    }
}
