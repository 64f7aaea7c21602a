package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.LinkStats;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerStats;
import org.p2pchat.core.internal.local.LocalTransportProvider;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.ManualTicker;

/**
 * {@link Peer#stats()} between peers over the in-JVM transport: what each side counts of the
 * messages, frames and connections between them, once everything sent is acknowledged.
 */
class PeerStatsTest {
    private final MutableDirectory directory = new MutableDirectory();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Peer peer(String name, MessageListener listener, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport("local")
                .listenOn(PeerAddress.loopback(0)).directory(directory).listener(listener)
                .reconnectDelay(Duration.ofMillis(5)).maxReconnectDelay(Duration.ofMillis(20))
                .maxHandshakeRetryDelay(Duration.ofMillis(20))).start();
        toClose.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    /**
     * Pins every peer's key in the table, so that no peer checks a caller's key at its listed
     * address first: that check is a connection of its own, which would show in the counts.
     */
    private void pinKeys(Peer... peers) {
        for (Peer p : peers) {
            directory.put(p.name(), p.listenAddress(), p.publicKey());
        }
    }

    /** The line of a friend in a peer's snapshot, which must be there. */
    private static LinkStats of(Peer peer, String friend) {
        return peer.stats().friend(friend).orElseThrow(() -> new AssertionError(
                peer.name() + " has no line for " + friend + ": " + peer.stats())).stats();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void everyMessageFrameAndByteIsCountedOnBothSidesOnceAcknowledged() {
        Instant before = Instant.now();
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b);
        Peer alice = peer("alice", new Inbox(), b -> b.outboxLimitBytes(1 << 20));
        int count = 100;
        long bytes = 0;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = "message " + i + " ✓";
            bytes += utf8(text);
            sent.add(alice.send("bob", text).toCompletableFuture());
        }
        for (CompletableFuture<Void> f : sent) {
            Await.result(f);
        }
        for (int i = 0; i < count; i++) {
            bobInbox.next();
        }
        // What each side wrote has arrived once the other's counts match it.
        Await.until("every frame written to have been read", () -> {
            LinkStats out = of(alice, "bob");
            LinkStats in = of(bob, "alice");
            return in.frames().dataReceived() == out.frames().dataSent()
                    && in.frames().acksSent() == out.frames().acksReceived()
                    && in.frames().acksReceived() == out.frames().acksSent();
        });

        PeerStats aliceStats = alice.stats();
        LinkStats out = aliceStats.friend("bob").orElseThrow().stats();
        LinkStats in = of(bob, "alice");
        assertEquals(new LinkStats.Messages(count, bytes, 0, count, 0, 0), out.messages());
        assertEquals(new LinkStats.Messages(0, 0, 0, 0, count, bytes), in.messages());
        assertTrue(out.frames().dataSent() >= 1 && out.frames().dataSent() <= count,
                out.frames().toString());
        assertEquals(0, in.frames().dataSent());
        assertEquals(1, out.frames().acksSent(), "alice's one ACK: the first on the connection");
        assertTrue(out.ackDelay().samples() >= 1
                && out.ackDelay().samples() <= out.frames().acksReceived(), out.ackDelay().toString());
        assertTrue(out.ackDelay().last().compareTo(Duration.ZERO) > 0
                && out.ackDelay().mean().compareTo(Duration.ZERO) > 0, out.ackDelay().toString());
        assertEquals(new LinkStats.Outbox(0, 0, 1 << 20), out.outbox());
        assertEquals(0, out.window().inFlightMessages());
        assertEquals(0, out.window().inFlightBytes());
        assertTrue(out.window().grantedBytes() > 0, out.window().toString());
        assertEquals(0, out.window().stalls(), "the default window holds all 100");
        assertEquals(new LinkStats.Connections(1, 1, Map.of()), out.connections());
        assertEquals(new LinkStats.Connections(1, 1, Map.of()), in.connections());
        assertEquals(out, aliceStats.total(), "alice's one friend is all her total");
        // Bob met alice's key for the first time: he asked her listed address for it, and
        // that connection stops after handshake message 2 by design.
        Await.until("alice to see bob's key check end", () -> alice.stats().handshakesFailed() == 1);
        assertEquals(0, bob.stats().handshakesFailed());
        assertEquals(List.of("bob"), aliceStats.friends().stream().map(f -> f.name()).toList());
        assertEquals(bob.publicKey(), aliceStats.friends().get(0).key());
        assertTrue(!aliceStats.takenAt().isBefore(before) && !aliceStats.takenAt().isAfter(Instant.now()),
                aliceStats.takenAt().toString());
        assertTrue(aliceStats.uptime().compareTo(Duration.ZERO) > 0
                && aliceStats.uptime().compareTo(Duration.between(before, Instant.now())) <= 0,
                aliceStats.uptime().toString());
    }

    @Test
    void connectionsThatCloseAreCountedByTheReasonEachSideSaw() {
        ManualTicker ticker = new ManualTicker();
        CuttableTransport cuttable = new CuttableTransport(new LocalTransportProvider());
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b.ticker(ticker).idleTimeout(Duration.ZERO));
        Peer alice = peer("alice", new Inbox(), b -> b.ticker(ticker).transport(cuttable)
                .idleTimeout(Duration.ofMinutes(1)));
        pinKeys(alice, bob);
        Await.result(alice.send("bob", "before the cut"));
        assertEquals(1, cuttable.cutAll());
        Await.until("both sides to count the cut", () -> of(alice, "bob").connections()
                .closedTotal() == 1 && of(bob, "alice").connections().closedTotal() == 1);

        Await.result(alice.send("bob", "on a new connection"));
        ticker.advance(Duration.ofMinutes(2));
        Await.until("both sides to count the idle close", () -> of(alice, "bob").connections()
                .closedTotal() == 2 && of(bob, "alice").connections().closedTotal() == 2);

        assertEquals(new LinkStats.Connections(0, 2, Map.of(Reason.IO_ERROR, 1L,
                Reason.IDLE_TIMEOUT, 1L)), of(alice, "bob").connections());
        assertEquals(new LinkStats.Connections(0, 2, Map.of(Reason.REMOTE_CLOSE, 2L)),
                of(bob, "alice").connections());
        assertEquals(0, alice.stats().handshakesFailed() + bob.stats().handshakesFailed());
    }

    @Test
    void aMessageWhoseFrameWasLostIsCountedOnceAsSentAndOnceAsResentOnTheNextConnection() {
        DroppingTransport lossy = new DroppingTransport(new LocalTransportProvider());
        CuttableTransport cuttable = new CuttableTransport(lossy);
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b);
        Peer alice = peer("alice", new Inbox(), b -> b.transport(cuttable));
        pinKeys(alice, bob);
        String text = "lost once " + "x".repeat(400);
        // Only a DATA frame holding this text is that long: no handshake frame, no ACK.
        lossy.dropNextWrite(f -> f.remaining() > 400);
        CompletableFuture<Void> sent = alice.send("bob", text).toCompletableFuture();
        Await.until("its DATA frame to be lost", () -> lossy.dropped() == 1);
        assertEquals(1, cuttable.cutAll());
        Await.result(sent);
        assertEquals(text, bobInbox.next().text());

        LinkStats out = of(alice, "bob");
        assertEquals(new LinkStats.Messages(1, utf8(text), 1, 1, 0, 0), out.messages());
        assertEquals(2, out.frames().dataSent(), "the lost one and the resend");
        assertEquals(new LinkStats.Connections(1, 2, Map.of(Reason.IO_ERROR, 1L)),
                out.connections());
        Await.until("bob to count the message", () -> of(bob, "alice").messages().received() == 1);
        LinkStats in = of(bob, "alice");
        assertEquals(new LinkStats.Messages(0, 0, 0, 0, 1, utf8(text)), in.messages());
        assertEquals(1, in.frames().dataReceived(), "the lost frame never arrived");
    }

    @Test
    void aListenerThatFallsBehindHoldsTheSenderAtTheWindowUntilItCatchesUp() {
        Queue<Runnable> held = new ConcurrentLinkedQueue<>();
        Inbox bobInbox = new Inbox();
        long window = 2048;
        Peer bob = peer("bob", bobInbox, b -> b.maxFrameBytes(1024).receiveWindowBytes(window)
                .callbackExecutor(held::add));
        Peer alice = peer("alice", new Inbox(), b -> b);
        String text = "y".repeat(500);
        long units = 500 + 32;
        int count = 10;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(alice.send("bob", text).toCompletableFuture());
        }
        // Bob's listener has not run: three messages fill his window, and stay in his backlog.
        Await.until("bob to acknowledge the three his window takes",
                () -> of(alice, "bob").messages().acknowledged() == 3);
        LinkStats stalled = of(alice, "bob");
        assertEquals(new LinkStats.Outbox(count - 3, (count - 3) * units,
                stalled.outbox().limitBytes()), stalled.outbox());
        assertEquals(0, stalled.window().inFlightMessages());
        assertEquals(window - 3 * units, stalled.window().grantedBytes(),
                "what is left of the window: less than a message");

        Await.until("bob's listener to catch up and alice to send the rest", () -> {
            for (Runnable r = held.poll(); r != null; r = held.poll()) {
                r.run();
            }
            return bobInbox.messages.size() == count;
        });
        for (CompletableFuture<Void> f : sent) {
            Await.result(f);
        }
        LinkStats after = of(alice, "bob");
        assertEquals(count, after.messages().acknowledged());
        assertTrue(after.window().stalls() >= 1, after.window().toString());
        assertTrue(after.window().stalledTime().compareTo(Duration.ZERO) > 0,
                after.window().toString());
    }

    @Test
    void whatAForgottenStrangerDidStaysInTheTotal() {
        ManualTicker ticker = new ManualTicker();
        Inbox bobInbox = new Inbox();
        ChatNode bob = (ChatNode) peer("bob", bobInbox, b -> b.ticker(ticker)
                .idleTimeout(Duration.ofMinutes(1)));
        // Carol is not in bob's table: her link goes once her connection idles out.
        Peer carol = P2pChat.builder("carol").transport("local").listenOn(PeerAddress.loopback(0))
                .directory(new MutableDirectory().put("bob", bob.listenAddress()))
                .listener(new Inbox()).ticker(ticker).idleTimeout(Duration.ofMinutes(1)).start();
        toClose.add(carol);
        long bytes = 0;
        for (String text : List.of("one", "two", "three")) {
            Await.result(carol.send("bob", text));
            bobInbox.next();
            bytes += utf8(text);
        }
        ticker.advance(Duration.ofMinutes(2));
        Await.until("bob to forget carol's link", () -> !bob.probe().hasLink("carol"));

        PeerStats stats = bob.stats();
        assertTrue(stats.friend("carol").isEmpty(), stats.toString());
        assertEquals(new LinkStats.Messages(0, 0, 0, 0, 3, bytes), stats.total().messages());
        assertEquals(1, stats.total().connections().opened());
        assertEquals(1, stats.total().connections().closedTotal());
        assertEquals(0, stats.total().connections().open());
    }

    @Test
    void aConnectionWhoseKeyIsRefusedCountsAsAFailedHandshakeOnBothSides() {
        Peer bob = peer("bob", new Inbox(), b -> b);
        Peer alice = peer("alice", new Inbox(), b -> b);
        // Alice's table pins another key for bob: she refuses the one he proves.
        directory.put("bob", bob.listenAddress(), alice.publicKey());
        assertInstanceOf(PeerIdentityException.class, Await.failure(alice.send("bob", "hi")));
        Await.until("bob to see the handshake fail", () -> bob.stats().handshakesFailed() == 1);

        PeerStats stats = alice.stats();
        assertEquals(1, stats.handshakesFailed());
        assertEquals(0, stats.total().connections().opened());
        assertEquals(0, bob.stats().total().connections().opened());
    }
}
