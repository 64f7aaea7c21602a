package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.testkit.ManualTicker;

/**
 * One friend's link driven by hand: sessions are {@link FakeLinkSessions}, acknowledgements are
 * fed in directly, and the test runs the timer's {@link FriendLink#tick} itself (the link's own
 * timer refuses every task), so every step happens at a known time.
 */
class FriendLinkTest {
    private static final int OVERHEAD = MessageFrames.MESSAGE_OVERHEAD;
    private static final DeliveryOptions DEFAULTS = new DeliveryOptions(Duration.ofSeconds(30),
            1 << 20, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 1 << 20,
            Duration.ofSeconds(5), 1L << 30);

    private final ManualTicker ticker = new ManualTicker();
    private final ScheduledExecutorService refusingTimer = new ScheduledThreadPoolExecutor(1);
    private final List<FriendLink> idle = new ArrayList<>();
    private final FriendLink link;

    FriendLinkTest() {
        refusingTimer.shutdown();
        FriendLink.Connector strangerOnly = new FriendLink.Connector() {
            @Override
            public CompletionStage<Void> connect(FriendLink l, PeerAddress address) {
                throw new AssertionError("alice is not listed: the link never dials");
            }

            @Override
            public PeerAddress listedAddress(FriendLink link) {
                return null;
            }

            @Override
            public void idle(FriendLink l) {
                idle.add(l);
            }
        };
        link = new FriendLink("alice", DEFAULTS, ticker, refusingTimer, strangerOnly,
                new Inflow("alice", 1 << 20, new MemoryBudget(1L << 30), false, new ReceiveLedger(null, java.util.List.of())), null, new SplittableRandom(1), SendJournal.NONE);
    }

    @AfterEach
    void close() {
        refusingTimer.shutdownNow();
    }

    private static String text(int units) {
        return "x".repeat(units - OVERHEAD);
    }

    private CompletableFuture<Void> send(String text) {
        return link.send(MessageFrames.KIND_TEXT, text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toCompletableFuture();
    }

    /** The numbers of the messages in each DATA frame written since the last call. */
    private static List<List<Long>> newData(FakeLinkSessions.Link l) {
        List<List<Long>> frames = new ArrayList<>();
        for (ByteBuffer f : l.newFrames()) {
            byte type = f.get();
            if (type != MessageFrames.DATA) {
                continue;
            }
            long seq = MessageFrames.readDataHeader(f).firstSeq();
            List<Long> seqs = new ArrayList<>();
            while (f.hasRemaining()) {
                int length = MessageFrames.readMessageLength(f);
                f.position(f.position() + length);
                seqs.add(seq++);
            }
            frames.add(seqs);
        }
        return frames;
    }

    private static List<Byte> newTypes(FakeLinkSessions.Link l) {
        List<Byte> types = new ArrayList<>();
        for (ByteBuffer f : l.newFrames()) {
            types.add(f.get());
        }
        return types;
    }

    private FakeLinkSessions.Link attached() {
        FakeLinkSessions.Link l = FakeLinkSessions.open(1, 100);
        assertTrue(link.attach(l.session));
        return l;
    }

    @Test
    void aMessageThatTimesOutOnItsWayStillFillsTheFriendsWindowUntilAcknowledged() {
        FakeLinkSessions.Link l = attached();
        link.acknowledged(l.session, 0, 2 * 100);
        CompletableFuture<Void> first = send(text(100));
        CompletableFuture<Void> second = send(text(100));
        assertEquals(List.of(List.of(1L), List.of(2L)), newData(l));

        ticker.advance(DEFAULTS.deliveryTimeout());
        link.tick();
        assertInstanceOf(DeliveryTimeoutException.class, first.handle((v, e) -> e).join());
        assertTrue(second.isCompletedExceptionally());

        // Both are still on their way and fill the window: a third must wait for their ACK.
        assertAThirdMessageWaitsForTheirAckOn(l);
    }

    @Test
    void anAckOnASpareConnectionDoesNotWidenTheWindowOfTheCurrentOne() {
        FakeLinkSessions.Link current = attached();
        FakeLinkSessions.Link spare = FakeLinkSessions.open(2, 100);
        assertTrue(link.attach(spare.session));
        link.acknowledged(current.session, 0, 2 * 100);
        CompletableFuture<Void> first = send(text(100));
        send(text(100));
        assertEquals(List.of(List.of(1L), List.of(2L)), newData(current));

        // alice got both: she says so on the spare, but her window on the current one is full.
        link.acknowledged(spare.session, 2, 1 << 20);
        assertTrue(first.isDone() && !first.isCompletedExceptionally());
        assertAThirdMessageWaitsForTheirAckOn(current);
    }

    /** With messages 1 and 2 filling a window of 200 units on {@code l}. */
    private void assertAThirdMessageWaitsForTheirAckOn(FakeLinkSessions.Link l) {
        send(text(100));
        assertEquals(List.of(), newData(l), "the window is full");
        link.acknowledged(l.session, 2, 2 * 100);
        assertEquals(List.of(List.of(3L)), newData(l));
    }

    @Test
    void theWriteDeadlineClosesAConnectionThatNeverAcknowledgesEvenWhenMessagesTimeOutFirst() {
        // With the default 30 s for both, each message times out before its write is overdue:
        // the overdue write must still be noticed.
        FakeLinkSessions.Link l = attached();
        link.acknowledged(l.session, 0, 1 << 20);
        for (int second = 0; second <= 32 && l.connection.isOpen(); second++) {
            send("message " + second);
            l.session.heard(ticker.nanoTime()); // alice talks, so heartbeats see nothing wrong
            link.tick();
            ticker.advance(Duration.ofSeconds(1));
        }
        assertFalse(l.connection.isOpen(), "closed as not reading");
    }

    @Test
    void aNewLinkCarriesOnFromTheNumbersItsFriendAlreadyAcknowledged() {
        // The node forgot its link to alice while idle; alice remembers messages 1 to 7.
        CompletableFuture<Void> sent = send("hello again");
        FakeLinkSessions.Link l = attached();
        link.acknowledged(l.session, 7, 1 << 20);
        assertEquals(List.of(List.of(8L)), newData(l));
        link.acknowledged(l.session, 8, 1 << 20);
        assertTrue(sent.isDone() && !sent.isCompletedExceptionally());
    }

    @Test
    void anAckBeyondWhatWasSentIsAProtocolErrorOnceMessagesWereSent() {
        FakeLinkSessions.Link l = attached();
        link.acknowledged(l.session, 0, 1 << 20);
        send("one");
        assertEquals(List.of(List.of(1L)), newData(l));
        assertThrows(ProtocolException.class, () -> link.acknowledged(l.session, 2, 1 << 20));
    }

    @Test
    void messagesStuckBehindAClosedWindowAskForAnAckAfterAHeartbeatEvenWhileTheFriendTalks() {
        FakeLinkSessions.Link l = attached();
        link.acknowledged(l.session, 0, 50); // too small for the message
        send(text(100));
        assertEquals(List.of(), newTypes(l));
        ticker.advance(DEFAULTS.heartbeatInterval().plusSeconds(1));
        l.session.heard(ticker.nanoTime());
        link.tick();
        assertEquals(List.of(MessageFrames.PING), newTypes(l));
        link.tick();
        assertEquals(List.of(), newTypes(l), "one PING per heartbeat interval");
    }

    @Test
    void aLinkWhoseLastMessagesTimedOutWithoutAConnectionTellsItsNodeItIsIdle() {
        CompletableFuture<Void> sent = send("to nobody");
        ticker.advance(DEFAULTS.deliveryTimeout());
        link.tick();
        assertTrue(sent.isCompletedExceptionally());
        assertEquals(List.of(link), idle);
        assertTrue(link.dispose());
        assertEquals(null, link.send(MessageFrames.KIND_TEXT, new byte[] {'x'}), "a forgotten link takes no message");
        assertFalse(link.attach(FakeLinkSessions.open(3, 100).session));
    }

    @Test
    void ofTwoConnectionsOpenedEachWayTheOneAttachedLaterClosesIfItsOpenerHasTheLargerKey() {
        FakeLinkSessions.Link kept = FakeLinkSessions.open(1, 100, true);
        FakeLinkSessions.Link other = FakeLinkSessions.open(2, 100, false);
        assertTrue(link.attach(kept.session));
        assertTrue(link.attach(other.session));
        assertFalse(other.connection.isOpen(), "the other way's connection is retired");
        assertNull(other.connection.abortReason(), "closed, not aborted: its queue still goes out");
        assertTrue(kept.connection.isOpen());
        assertEquals(1, link.openConnections());
    }

    @Test
    void ofTwoConnectionsOpenedEachWayTheCurrentOneGivesWayAndItsMessagesGoAgainOnTheKeptOne() {
        FakeLinkSessions.Link first = FakeLinkSessions.open(1, 100, false);
        assertTrue(link.attach(first.session));
        CompletableFuture<Void> sent = send("in flight");
        link.acknowledged(first.session, 0, 1 << 20);
        assertEquals(List.of(List.of(1L)), newData(first), "sent on the first connection");
        FakeLinkSessions.Link kept = FakeLinkSessions.open(2, 100, true);
        assertTrue(link.attach(kept.session));
        assertFalse(first.connection.isOpen(), "the connection both sides give up");
        link.acknowledged(kept.session, 0, 1 << 20);
        assertEquals(List.of(List.of(1L)), newData(kept), "unacknowledged, so sent again");
        assertEquals(1, link.openConnections());
        assertFalse(sent.isDone(), "completes only when acknowledged");
    }

    @Test
    void twoConnectionsOpenedTheSameWayAreNotSettled() {
        FakeLinkSessions.Link a = FakeLinkSessions.open(1, 100, true);
        FakeLinkSessions.Link b = FakeLinkSessions.open(2, 100, true);
        assertTrue(link.attach(a.session));
        assertTrue(link.attach(b.session));
        assertTrue(a.connection.isOpen() && b.connection.isOpen(),
                "a reconnect from the same side is not a simultaneous open");
        assertEquals(2, link.openConnections());
    }
}
