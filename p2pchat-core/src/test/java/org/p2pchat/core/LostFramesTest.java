package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.local.LocalTransportProvider;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.ManualTicker;

/**
 * Messages lost on the way, over the in-JVM transport: a frame dropped in flight, and a friend
 * offline for longer than the delivery timeout.
 */
class LostFramesTest {
    /** Long enough that no handshake frame or ACK matches; the DATA frames of big messages do. */
    private static final int BIG = 400;
    private static final Predicate<ByteBuffer> DATA_OF_A_BIG_MESSAGE = f -> f.remaining() > BIG;

    private final MutableDirectory directory = new MutableDirectory();
    @TempDir
    Path state;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Peer peer(String name, Inbox inbox, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport("local")
                .listenOn(PeerAddress.loopback(0)).directory(directory).listener(inbox)
                .reconnectDelay(Duration.ofMillis(5)).maxReconnectDelay(Duration.ofMillis(20))
                .maxHandshakeRetryDelay(Duration.ofMillis(20)))
                .start();
        toClose.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    @Test
    void theFirstAndTheLastMessageDroppedInFlightBothArriveOnceAndInOrder() {
        DroppingTransport lossy = new DroppingTransport(new LocalTransportProvider());
        Inbox bobInbox = new Inbox();
        peer("bob", bobInbox, b -> b);
        // The last message has nothing behind it to show the loss: a heartbeat must.
        Peer alice = peer("alice", new Inbox(), b -> b.transport(lossy)
                .heartbeatInterval(Duration.ofMillis(20)));
        String first = "first " + "f".repeat(BIG);
        String last = "last " + "l".repeat(BIG);

        lossy.dropNextWrite(DATA_OF_A_BIG_MESSAGE);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        sent.add(alice.send("bob", first).toCompletableFuture());
        Await.until("the first DATA frame to be dropped", () -> lossy.dropped() == 1);
        for (int i = 0; i < 10; i++) {
            sent.add(alice.send("bob", "middle " + i).toCompletableFuture());
        }
        Await.result(sent.get(sent.size() - 1));
        lossy.dropNextWrite(DATA_OF_A_BIG_MESSAGE);
        sent.add(alice.send("bob", last).toCompletableFuture());
        Await.until("the last DATA frame to be dropped", () -> lossy.dropped() == 2);

        for (CompletableFuture<Void> f : sent) {
            Await.result(f);
        }
        assertEquals(first, bobInbox.next().text());
        for (int i = 0; i < 10; i++) {
            assertEquals("middle " + i, bobInbox.next().text());
        }
        assertEquals(last, bobInbox.next().text());
        Await.result(alice.send("bob", "after"));
        assertEquals("after", bobInbox.next().text(), "nothing delivered twice");
    }

    @Test
    void aFriendDownForLongerThanTheDeliveryTimeoutGetsOnlyWhatIsSentAfterItReturns() {
        ManualTicker ticker = new ManualTicker();
        Duration timeout = Duration.ofSeconds(5);
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox, b -> b.stateDirectory(state.resolve("bob")));
        PeerAddress bobsAddress = bob.listenAddress();
        Peer alice = peer("alice", new Inbox(), b -> b.ticker(ticker).deliveryTimeout(timeout));
        Await.result(alice.send("bob", "before"));
        assertEquals("before", bobInbox.next().text());

        bob.close();
        Await.until("alice to see bob go", () -> alice.connectionState("bob") != ConnectionState.CONNECTED);
        List<CompletableFuture<Void>> lost = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lost.add(alice.send("bob", "while down " + i).toCompletableFuture());
        }
        ticker.advance(timeout.plusMillis(1));
        for (CompletableFuture<Void> f : lost) {
            DeliveryTimeoutException e = assertInstanceOf(DeliveryTimeoutException.class,
                    Await.failure(f));
            assertFalse(e.transmitted(), "bob was down: nothing left alice");
        }
        assertEquals(0, ((ChatNode) alice).probe().outboxBytes("bob"),
                "expired messages are dropped");

        Inbox bobAgain = new Inbox();
        Peer bobBack = P2pChat.builder("bob").transport("local").listenOn(bobsAddress)
                .stateDirectory(state.resolve("bob")).directory(directory).listener(bobAgain)
                .start();
        toClose.add(bobBack);
        Await.result(alice.send("bob", "after"));
        assertEquals("after", bobAgain.next().text(), "neither 'before' again nor an expired one");
        Await.result(alice.send("bob", "and after"));
        assertEquals("and after", bobAgain.next().text());
    }
}
