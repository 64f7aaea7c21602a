package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.testkit.ManualTicker;
import org.p2pchat.core.internal.runtime.EpochNanos;

/**
 * What a {@link FriendLink} tells its {@link SendJournal}: each text message queued once its
 * peer's key is known and it records, then delivered, failed or renumbered, in order; room
 * messages never; and messages restored from an earlier process sent as kind 3.
 */
class FriendLinkJournalTest {
    private static final DeliveryOptions DEFAULTS = new DeliveryOptions(Duration.ofSeconds(30),
            1 << 20, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 1 << 20,
            Duration.ofSeconds(5), 1L << 30);
    private static final PeerKey KEY = PeerKey.of(new byte[32]);

    private final List<String> events = new ArrayList<>();
    private final SendJournal journal = new SendJournal() {
        private int ids;

        @Override
        public TrackedText track(byte[] text, String decoded, long queuedAt,
                java.time.Duration timeout) {
            return new TrackedText("id" + ++ids, 100, 0, text, EpochNanos.instant(queuedAt).plus(timeout), false);
        }

        @Override
        public void queued(PeerKey peer, String name, TrackedText m) {
            events.add("queued " + m.messageId() + " #" + m.seq());
        }

        @Override
        public void delivered(PeerKey peer, List<TrackedText> messages) {
            messages.forEach(m -> events.add("delivered " + m.messageId()));
        }

        @Override
        public void failed(PeerKey peer, List<TrackedText> messages) {
            messages.forEach(m -> events.add("failed " + m.messageId()));
        }

        @Override
        public void renumbered(PeerKey peer, long oldLast, List<TrackedText> messages) {
            messages.forEach(m -> events.add("renumbered " + m.messageId() + " #" + m.seq()
                    + " (was up to " + oldLast + ")"));
        }
    };
    private final ManualTicker ticker = new ManualTicker();
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
    private final FriendLink link;

    FriendLinkJournalTest() {
        timer.shutdown();
        FriendLink.Connector connector = new FriendLink.Connector() {
            @Override
            public CompletionStage<Void> connect(FriendLink l, PeerAddress address) {
                throw new AssertionError("not listed: the link never dials");
            }

            @Override
            public PeerAddress listedAddress(FriendLink l) {
                return null;
            }

            @Override
            public void idle(FriendLink l) {
            }
        };
        link = new FriendLink("alice", DEFAULTS, ticker, timer, connector,
                new Inflow("alice", 1 << 20, new MemoryBudget(1L << 30), false,
                        new ReceiveLedger(null, List.of())),
                null, new SplittableRandom(1), journal);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private void send(String text) {
        link.send(MessageFrames.KIND_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    private FakeLinkSessions.Link attached() {
        FakeLinkSessions.Link l = FakeLinkSessions.open(1, 100);
        assertTrue(link.attach(l.session));
        link.acknowledged(l.session, 0, 1 << 20);
        return l;
    }

    @Test
    void messagesQueuedBeforeTheKeyIsKnownAreRecordedWhenTheLinkStartsRecording() {
        send("a");
        link.proven(KEY);
        send("b");
        assertEquals(List.of(), events, "not the one link of its key yet");
        link.startRecording();
        send("c");
        assertEquals(List.of("queued id1 #1", "queued id2 #2", "queued id3 #3"), events);
    }

    @Test
    void anAcknowledgementRecordsDeliveryAndRoomMessagesAreNeverRecorded() {
        link.proven(KEY);
        link.startRecording();
        FakeLinkSessions.Link l = attached();
        send("a");
        link.send(MessageFrames.KIND_ROOM_POST, new byte[] {1, 2});
        send("b");
        link.acknowledged(l.session, 3, 1 << 20);
        assertEquals(List.of("queued id1 #1", "queued id2 #3", "delivered id1", "delivered id2"),
                events);
    }

    @Test
    void aMessageThatTimesOutIsRecordedFailed() {
        link.proven(KEY);
        link.startRecording();
        send("a");
        ticker.advance(DEFAULTS.deliveryTimeout());
        link.tick();
        assertEquals(List.of("queued id1 #1", "failed id1"), events);
    }

    @Test
    void aLinkThatTakesOnTheNumbersOfAForgottenOneRecordsTheNewNumbers() {
        link.proven(KEY);
        link.startRecording();
        send("a");
        send("b");
        FakeLinkSessions.Link l = FakeLinkSessions.open(1, 100);
        assertTrue(link.attach(l.session));
        // The friend had 1 to 40 from a link of this process that was forgotten.
        link.acknowledged(l.session, 40, 1 << 20);
        assertEquals(List.of("queued id1 #1", "queued id2 #2",
                "renumbered id1 #41 (was up to 2)", "renumbered id2 #42 (was up to 2)"), events);
    }

    @Test
    void aRestoredMessageGoesAsKindThreeWithItsFirstNumbering() {
        link.proven(KEY);
        link.startRecording();
        FakeLinkSessions.Link l = attached();
        assertTrue(link.restore(new TrackedText("old", 77, 9, "hello".getBytes(
                StandardCharsets.UTF_8), Instant.now().plusSeconds(60), true)));
        ByteBuffer data = null;
        for (ByteBuffer f : l.newFrames()) {
            if (f.get() == MessageFrames.DATA) {
                data = f;
            }
        }
        MessageFrames.DataHeader header = MessageFrames.readDataHeader(data);
        assertEquals(1, header.firstSeq());
        MessageFrames.readMessageLength(data);
        assertEquals(MessageFrames.KIND_TEXT_AGAIN, data.get());
        MessageFrames.FirstNumber first = MessageFrames.readTextAgain(data);
        assertEquals(new MessageFrames.FirstNumber(77, 9), first);
        assertEquals("hello", StandardCharsets.UTF_8.decode(data).toString());
        link.acknowledged(l.session, 1, 1 << 20);
        assertEquals(List.of("delivered old"), events, "recorded already: not queued again");
    }

    @Test
    void aRestoredMessageWhoseDeadlineHasPassedFailsAtTheFirstTick() {
        link.proven(KEY);
        link.startRecording();
        link.restore(new TrackedText("late", 77, 9, new byte[0], Instant.now().minusSeconds(1),
                true));
        link.tick();
        assertEquals(List.of("failed late"), events);
    }

    @Test
    void messagesRestoredBeyondTheOutboxLimitAreAllQueuedNoneFailed() {
        link.proven(KEY);
        link.startRecording();
        // Each restored message is a few bytes longer than it was: more than the limit in all.
        int count = (int) (DEFAULTS.outboxLimitBytes() / (20 + MessageFrames.MESSAGE_OVERHEAD));
        for (int i = 1; i <= count; i++) {
            assertTrue(link.restore(new TrackedText("m" + i, 77, i, new byte[20],
                    Instant.now().plusSeconds(60), true)));
        }
        assertTrue(link.outboxBytes() > DEFAULTS.outboxLimitBytes(), "" + link.outboxBytes());
        assertEquals(List.of(), events, "none failed, so none left the store's outbox");
    }
}
