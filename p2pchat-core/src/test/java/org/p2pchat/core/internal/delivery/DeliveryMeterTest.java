package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.LinkStats;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.ManualTicker;

/**
 * What a link counts, driven by hand as {@link FriendLinkTest} drives one: fake sessions, ACKs
 * fed in directly and a manual clock, so that every figure, delays included, is exact.
 */
class DeliveryMeterTest {
    private static final int OVERHEAD = MessageFrames.MESSAGE_OVERHEAD;
    private static final long WINDOW = 1 << 20;
    private static final DeliveryOptions OPTIONS = new DeliveryOptions(Duration.ofSeconds(30),
            1 << 20, WINDOW, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 1 << 20,
            Duration.ofSeconds(5), 1L << 30);

    private final ManualTicker ticker = new ManualTicker();
    private final ScheduledExecutorService refusingTimer = new ScheduledThreadPoolExecutor(1);
    private final FriendLink link;

    DeliveryMeterTest() {
        refusingTimer.shutdown();
        FriendLink.Connector nowhere = new FriendLink.Connector() {
            @Override
            public CompletionStage<Void> connect(FriendLink l, PeerAddress address) {
                throw new AssertionError("nothing to dial: the test attaches sessions itself");
            }

            @Override
            public PeerAddress listedAddress(FriendLink l) {
                return null;
            }

            @Override
            public void idle(FriendLink l) {
            }
        };
        link = new FriendLink("alice", OPTIONS, ticker, refusingTimer, nowhere,
                new Inflow("alice", WINDOW, new MemoryBudget(1L << 30), false,
                        new ReceiveLedger(null, List.of())),
                null, new SplittableRandom(1), SendJournal.NONE);
    }

    @AfterEach
    void close() {
        refusingTimer.shutdownNow();
    }

    private void send(String text) {
        link.send(MessageFrames.KIND_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    private FakeLinkSessions.Link attach(long id) {
        FakeLinkSessions.Link l = FakeLinkSessions.open(id, 100);
        link.attach(l.session);
        return l;
    }

    private void lose(FakeLinkSessions.Link l) {
        ConnectionClosedException cut = new ConnectionClosedException(
                ConnectionClosedException.Reason.IO_ERROR, "cut by the test");
        l.connection.abort(cut);
        link.detach(l.session, cut);
    }

    private LinkStats stats() {
        return link.sample().stats();
    }

    private static String ofUnits(int units) {
        return "x".repeat(units - OVERHEAD);
    }

    @Test
    void everyFrameMessageAndByteSentIsCountedAndEachAckSamplesTheDelayOfTheNewestMessage() {
        FakeLinkSessions.Link l = attach(1);
        link.acknowledged(l.session, 0, WINDOW);
        send("hello");
        send("hi!");
        ticker.advance(Duration.ofMillis(7));
        link.acknowledged(l.session, 2, WINDOW);
        send("x");
        ticker.advance(Duration.ofMillis(15));
        link.acknowledged(l.session, 3, WINDOW);

        LinkStats s = stats();
        assertEquals(new LinkStats.Messages(3, 5 + 3 + 1, 0, 3, 0, 0), s.messages());
        assertEquals(new LinkStats.Frames(3, 0, 0, 3), s.frames(),
                "one DATA frame a message (each went alone), three ACKs in");
        // The first ACK acknowledged nothing: no sample. Smoothed: 7 + (15 - 7) / 8.
        assertEquals(new LinkStats.AckDelay(2, Duration.ofMillis(15), Duration.ofMillis(8),
                Duration.ofMillis(11)), s.ackDelay());
        assertEquals(new LinkStats.Outbox(0, 0, 1 << 20), s.outbox());
        assertEquals(new LinkStats.Window(0, 0, WINDOW, 0, Duration.ZERO), s.window());
    }

    @Test
    void messagesInFlightOnALostConnectionAreCountedOnceAsResentOnTheNextAndSampledThere() {
        FakeLinkSessions.Link first = attach(1);
        link.acknowledged(first.session, 0, WINDOW);
        send("one");
        send("two");
        ticker.advance(Duration.ofMillis(50));
        lose(first);

        FakeLinkSessions.Link second = attach(2);
        // Its first ACK: nothing of the two arrived; both go out again, in one frame.
        link.acknowledged(second.session, 0, WINDOW);
        ticker.advance(Duration.ofMillis(4));
        link.acknowledged(second.session, 2, WINDOW);

        LinkStats s = stats();
        assertEquals(new LinkStats.Messages(2, 6, 2, 2, 0, 0), s.messages());
        assertEquals(3, s.frames().dataSent(), "two on the first connection, one on the second");
        assertEquals(1, s.ackDelay().samples());
        assertEquals(Duration.ofMillis(4), s.ackDelay().last(), "from the resend, not the first send");
    }

    @Test
    void anAckOnANewConnectionOfMessagesTheLostOneCarriedIsNeitherAResendNorADelaySample() {
        FakeLinkSessions.Link first = attach(1);
        link.acknowledged(first.session, 0, WINDOW);
        send("one");
        ticker.advance(Duration.ofMillis(50));
        lose(first);

        FakeLinkSessions.Link second = attach(2);
        // It had arrived before the loss: the new connection's first ACK says so.
        link.acknowledged(second.session, 1, WINDOW);

        LinkStats s = stats();
        assertEquals(new LinkStats.Messages(1, 3, 0, 1, 0, 0), s.messages());
        assertEquals(0, s.ackDelay().samples());
        assertEquals(1, s.frames().dataSent());
    }

    @Test
    void messagesHeldBackByAFullWindowMakeOneStallThatEndsWhenTheNextGoesOut() {
        FakeLinkSessions.Link l = attach(1);
        link.acknowledged(l.session, 0, 200);
        send(ofUnits(100));
        send(ofUnits(100));
        send(ofUnits(100));
        send(ofUnits(100));

        LinkStats held = stats();
        assertEquals(new LinkStats.Outbox(4, 400, 1 << 20), held.outbox());
        assertEquals(new LinkStats.Window(2, 200, 200, 0, Duration.ZERO), held.window(),
                "two in flight fill the window; the stall is not over, so not counted yet");

        ticker.advance(Duration.ofMillis(3));
        link.acknowledged(l.session, 1, 200);
        ticker.advance(Duration.ofMillis(2));
        link.acknowledged(l.session, 3, 200);

        LinkStats s = stats();
        assertEquals(2, s.window().stalls(), "the third waited 3 ms, the fourth 2 more");
        assertEquals(Duration.ofMillis(5), s.window().stalledTime());
        assertEquals(new LinkStats.Outbox(1, 100, 1 << 20), s.outbox());
    }

    @Test
    void whatArrivesIsCountedOnceAndACopyOnlyAsAFrame() {
        FakeLinkSessions.Link l = attach(1);
        Inflow inflow = link.inflow();
        inflow.acknowledge(l.session);
        List<String> delivered = new ArrayList<>();
        Inflow.Delivery delivery = TestDeliveries.of(() -> inflow,
                (text, firstEpoch, firstSeq, seq, units) -> {
                    inflow.recorded(inflow.currentEpoch(), seq);
                    delivered.add(text);
                });
        inflow.receive(data(1, "ab", "cde"), l.session, delivery);
        // Sent again, as after a lost ACK: already delivered.
        inflow.receive(data(1, "ab", "cde"), l.session, delivery);
        inflow.acknowledge(l.session);

        assertEquals(List.of("ab", "cde"), delivered);
        LinkStats s = stats();
        assertEquals(new LinkStats.Messages(0, 0, 0, 0, 2, 5), s.messages());
        assertEquals(new LinkStats.Frames(0, 2, 2, 0), s.frames());
    }

    /** A DATA frame after its type byte, numbered from {@code first}, with nothing below. */
    private static ByteBuffer data(long first, String... texts) {
        ByteBuffer b = ByteBuffer.allocate(256);
        MessageFrames.putDataHeader(b, first, first);
        for (String t : texts) {
            MessageFrames.putMessage(b, MessageFrames.KIND_TEXT, t.getBytes(StandardCharsets.UTF_8));
        }
        b.flip();
        b.get();
        return b;
    }
}
