package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.testkit.Await;

/**
 * What one peer receives from a friend: exactly-once, in-order delivery across reconnects, the
 * receive window, and the ACKs that report both.
 */
class InflowTest {
    private static final org.p2pchat.api.PeerKey PEER =
            org.p2pchat.api.PeerKey.of(new byte[32]);
    private static final int OVERHEAD = MessageFrames.MESSAGE_OVERHEAD;
    private static final long WINDOW = 1_000;

    private final MemoryBudget budget = new MemoryBudget(1L << 30);
    private final Inflow inflow = new Inflow("alice", WINDOW, budget, false, new ReceiveLedger(null, java.util.List.of()));
    private final FakeLinkSessions.Link link = FakeLinkSessions.open(1, 100);
    private final List<String> delivered = new ArrayList<>();
    private final List<Long> deliveredUnits = new ArrayList<>();
    private final Inflow.Delivery delivery = TestDeliveries.of(() -> inflow, (text, firstEpoch, firstSeq, seq, units) -> {
        inflow.recorded(inflow.currentEpoch(), seq);
        delivered.add(text);
        deliveredUnits.add(units);
    });

    /** A DATA frame, after its type byte. */
    private static ByteBuffer data(long first, long floor, String... texts) {
        int size = MessageFrames.MAX_DATA_HEADER;
        for (String t : texts) {
            size += MessageFrames.MAX_LENGTH_PREFIX + t.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        MessageFrames.putDataHeader(b, first, floor);
        for (String t : texts) {
            MessageFrames.putMessage(b, MessageFrames.KIND_TEXT, t.getBytes(StandardCharsets.UTF_8));
        }
        b.flip();
        assertEquals(MessageFrames.DATA, b.get());
        return b;
    }

    /** A text whose message counts exactly {@code units} against the window. */
    private static String ofUnits(int units) {
        return "x".repeat(units - OVERHEAD);
    }

    /** As on a real connection, the friend sends nothing before its first ACK (which grants it). */
    @BeforeEach
    void theFriendHasItsFirstAck() {
        inflow.acknowledge(link.session);
        link.newAcks();
    }

    private void receive(ByteBuffer frame) {
        inflow.receive(frame, link.session, delivery);
    }

    private void receive(long first, long floor, String... texts) {
        receive(data(first, floor, texts));
    }

    private long[] ack() {
        inflow.acknowledge(link.session);
        return link.onlyNewAck();
    }

    // ---- numbering ----

    @Test
    void messagesAreDeliveredInOrderAcrossFrames() {
        inflow.epoch(100, PEER);
        receive(1, 1, "a", "b");
        receive(3, 1, "c");
        receive(4, 4, "d", "e");
        assertEquals(List.of("a", "b", "c", "d", "e"), delivered);
        assertArrayEquals(new long[] {5, WINDOW - 5 * (1 + OVERHEAD)}, ack());
    }

    @Test
    void theFirstFrameFromAnUnknownSenderStartsAtItsFloor() {
        // This peer restarted: the friend's messages below 41 were acknowledged before.
        receive(41, 41, "forty-one", "forty-two");
        assertEquals(List.of("forty-one", "forty-two"), delivered);
        assertEquals(42, ack()[0]);
    }

    @Test
    void aFrameThatSkipsPastTheFloorOfAnUnknownSenderIsAGap() {
        // Messages 5 and 6 may still be sent and this peer has not seen them.
        assertThrows(ProtocolException.class, () -> receive(7, 5, "seven"));
        assertEquals(List.of(), delivered);
    }

    @Test
    void nothingReceivedIsAcknowledgedAsZeroWithTheWholeWindow() {
        assertArrayEquals(new long[] {0, WINDOW}, ack());
    }

    @Test
    void duplicatesAreSkippedAndTheNewMessagesAfterThemInTheSameFrameDelivered() {
        receive(1, 1, "a", "b");
        // Sent again after a lost ACK, with one more behind them.
        receive(1, 1, "a", "b", "c");
        assertEquals(List.of("a", "b", "c"), delivered);
        assertEquals(3, ack()[0]);
    }

    @Test
    void aFrameOfOnlyDuplicatesDeliversNothingAndIsNotAnError() {
        receive(1, 1, "a", "b", "c");
        receive(2, 1, "b", "c");
        assertEquals(List.of("a", "b", "c"), delivered);
        assertEquals(3 * (1 + OVERHEAD), inflow.backlog(), "duplicates take no window");
    }

    @Test
    void aDuplicateAfterAReconnectIsNotDeliveredAgain() {
        FakeLinkSessions.Link second = FakeLinkSessions.open(2, 100);
        assertFalse(inflow.epoch(100, PEER));
        receive(1, 1, "a", "b");
        // The connection is lost before the ACK; the friend sends 1 and 2 again on a new one.
        assertFalse(inflow.epoch(100, PEER), "same process");
        inflow.receive(data(1, 1, "a", "b", "c"), second.session, delivery);
        assertEquals(List.of("a", "b", "c"), delivered);
        inflow.acknowledge(second.session);
        assertEquals(3, second.onlyNewAck()[0]);
    }

    @Test
    void aFrameThatSkipsANumberIsAProtocolErrorAndDeliversNothing() {
        receive(1, 1, "a", "b");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> receive(4, 1, "d", "e"));
        assertTrue(e.getMessage().contains("alice"), e.getMessage());
        assertEquals(List.of("a", "b"), delivered);
        // Nothing moved: 3 is still next.
        receive(3, 1, "c");
        assertEquals(List.of("a", "b", "c"), delivered);
    }

    @Test
    void aHigherFloorSkipsTheMessagesTheFriendAbandoned() {
        receive(1, 1, "a", "b");
        // 3 and 4 timed out at the friend before they reached this peer.
        receive(5, 5, "e");
        assertEquals(List.of("a", "b", "e"), delivered);
        assertEquals(5, ack()[0]);
    }

    @Test
    void aLowerFloorDoesNotMoveTheNumberingBack() {
        receive(1, 1, "a", "b", "c");
        receive(3, 2, "c", "d");
        assertEquals(List.of("a", "b", "c", "d"), delivered);
        assertEquals(4, ack()[0]);
    }

    @Test
    void aMalformedMessageStopsTheFrameAfterTheMessagesBeforeItWereDelivered() {
        ByteBuffer frame = ByteBuffer.allocate(32);
        MessageFrames.putDataHeader(frame, 1, 1);
        MessageFrames.putMessage(frame, MessageFrames.KIND_TEXT, "ok".getBytes(StandardCharsets.UTF_8));
        MessageFrames.putVarint(frame, 20); // a length beyond the frame
        frame.put((byte) 'z').flip().get();

        assertThrows(ProtocolException.class, () -> receive(frame));

        assertEquals(List.of("ok"), delivered);
        // Sent again, whole: only the second is new.
        receive(1, 1, "ok", "then");
        assertEquals(List.of("ok", "then"), delivered);
    }

    // ---- epochs ----

    @Test
    void theFirstEpochIsNotARestart() {
        assertFalse(inflow.epoch(100, PEER));
        assertFalse(inflow.epoch(100, PEER));
    }

    @Test
    void aNewEpochIsARestartAndNumberingStartsAgain() {
        inflow.epoch(100, PEER);
        receive(1, 1, "a", "b", "c");

        assertTrue(inflow.epoch(200, PEER), "the friend restarted");
        FakeLinkSessions.Link restarted = FakeLinkSessions.open(2, 200);

        inflow.receive(data(1, 1, "new a"), restarted.session, delivery);
        assertEquals(List.of("a", "b", "c", "new a"), delivered);
        inflow.acknowledge(restarted.session);
        assertEquals(1, restarted.onlyNewAck()[0]);
    }

    @Test
    void theSameEpochAgainKeepsTheNumbering() {
        inflow.epoch(100, PEER);
        receive(1, 1, "a", "b", "c");
        assertFalse(inflow.epoch(100, PEER));
        receive(1, 1, "a");
        assertEquals(List.of("a", "b", "c"), delivered);
    }

    @Test
    void aRestartedFriendMayStartAboveOne() {
        inflow.epoch(100, PEER);
        receive(1, 1, "a");
        assertTrue(inflow.epoch(200, PEER));
        // Its first messages timed out before any connection was made.
        inflow.receive(data(3, 3, "c"), FakeLinkSessions.open(2, 200).session, delivery);
        assertEquals(List.of("a", "c"), delivered);
    }

    @Test
    void aRestartKeepsWhatTheListenerHasNotFinishedWith() {
        receive(1, 1, ofUnits(400));
        inflow.epoch(200, PEER);
        assertEquals(400, inflow.backlog());
        assertArrayEquals(new long[] {0, WINDOW - 400}, ack());
    }

    @Test
    void aFrameFromTheOldProcessIsIgnoredAfterARestart() {
        inflow.epoch(100, PEER);
        receive(1, 1, "a", "b", "c");
        assertTrue(inflow.epoch(200, PEER));
        FakeLinkSessions.Link restarted = FakeLinkSessions.open(2, 200);

        // Still being read on the old process's connection after the new one's HELLO: in the old
        // numbering, so taking it would make the new process's first messages look like copies.
        receive(4, 4, "old d");
        inflow.receive(data(1, 1, "new a"), restarted.session, delivery);

        assertEquals(List.of("a", "b", "c", "new a"), delivered);
        inflow.acknowledge(restarted.session);
        assertEquals(1, restarted.onlyNewAck()[0]);
    }

    @Test
    void aFrameFromTheOldProcessDoesNotTakeTheWindowUpdates() {
        inflow.epoch(100, PEER);
        assertTrue(inflow.epoch(200, PEER));
        FakeLinkSessions.Link restarted = FakeLinkSessions.open(2, 200);
        inflow.receive(data(1, 1, ofUnits(700)), restarted.session, delivery);
        inflow.acknowledge(restarted.session);
        assertArrayEquals(new long[] {1, 300}, restarted.onlyNewAck());

        receive(1, 1, ofUnits(100));
        inflow.consumed(700);

        assertEquals(List.of(), link.newAcks());
        assertArrayEquals(new long[] {1, WINDOW}, restarted.onlyNewAck());
    }

    // ---- the window ----

    @Test
    void eachDeliveredMessageCountsItsUtf8BytesPlus32() {
        receive(1, 1, "h\u00e9", "", "\ud83d\ude00");
        assertEquals(List.of(3L + OVERHEAD, (long) OVERHEAD, 4L + OVERHEAD), deliveredUnits);
        assertEquals(3 + 4 + 3 * OVERHEAD, inflow.backlog());
    }

    @Test
    void theBacklogShrinksWithWhatTheListenerFinishes() {
        receive(1, 1, ofUnits(100), ofUnits(200));
        assertEquals(300, inflow.backlog());
        inflow.consumed(100);
        assertEquals(200, inflow.backlog());
        inflow.consumed(200);
        assertEquals(0, inflow.backlog());
    }

    @Test
    void theAckGrantsWhatIsLeftOfTheWindow() {
        receive(1, 1, ofUnits(300));
        assertArrayEquals(new long[] {1, 700}, ack());
        receive(2, 2, ofUnits(700));
        assertArrayEquals(new long[] {2, 0}, ack());
        inflow.consumed(300);
        assertArrayEquals(new long[] {2, 300}, link.onlyNewAck(), "the window update");
        assertArrayEquals(new long[] {2, 300}, ack());
    }

    @Test
    void messagesThatFillTheWindowExactlyAreAccepted() {
        receive(1, 1, ofUnits(500), ofUnits(500));
        assertEquals(2, delivered.size());
        assertEquals(WINDOW, inflow.backlog());
    }

    @Test
    void aMessageBeyondTheWindowIsAProtocolErrorAndIsNotDelivered() {
        receive(1, 1, ofUnits(600));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> receive(2, 1, ofUnits(401)));
        assertTrue(e.getMessage().contains("window"), e.getMessage());
        assertEquals(1, delivered.size());
    }

    @Test
    void anOverrunIsCaughtEvenWhileAFastListenerKeepsTheBacklogEmpty() throws Exception {
        ExecutorService listener = Executors.newCachedThreadPool();
        try {
            // As in a peer: the listener finishes each message on another thread at once (so the
            // backlog falls during the frame), and any window update waits for the frame's end.
            Inflow.Delivery fast = TestDeliveries.of(() -> inflow, (text, firstEpoch, firstSeq, seq, units) -> {
                inflow.recorded(inflow.currentEpoch(), seq);
                delivered.add(text);
                long before = inflow.backlog();
                listener.execute(() -> inflow.consumed(units));
                Await.until("the listener finished the message", () -> inflow.backlog() < before);
            });
            ProtocolException e = assertThrows(ProtocolException.class, () -> inflow.receive(
                    data(1, 1, ofUnits(400), ofUnits(400), ofUnits(400)), link.session, fast));
            assertTrue(e.getMessage().contains("beyond the window it was granted"), e.getMessage());
            assertEquals(2, delivered.size());
        } finally {
            listener.shutdown();
            assertTrue(listener.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aMessageBeyondTheNodesMemoryBudgetIsRefusedBeforeItIsMadeAndTakesNoWindow() {
        MemoryBudget small = new MemoryBudget(4_000);
        Inflow tight = new Inflow("zed", WINDOW, small, true, new ReceiveLedger(null, java.util.List.of()));
        tight.acknowledge(link.session);
        link.newAcks();
        // Granted while the strangers' 1,000 bytes were free; then other strangers took 800.
        assertTrue(small.reserve(800, true));
        tight.receive(data(1, 1, ""), link.session, delivery);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> tight.receive(data(2, 1, ""), link.session, delivery));
        assertTrue(e.getMessage().contains("memory for strangers"), e.getMessage());
        assertEquals(List.of(""), delivered);
        assertEquals(800 + 144, small.used());
        tight.consumed(deliveredUnits.get(0));
        assertEquals(800, small.used(), "finishing a message gives its memory back");
    }

    @Test
    void theWindowGrantedShrinksToWhatTheMemoryBudgetHasLeft() {
        MemoryBudget small = new MemoryBudget(900);
        Inflow tight = new Inflow("alice", WINDOW, small, false, new ReceiveLedger(null, java.util.List.of()));
        tight.acknowledge(link.session);
        assertArrayEquals(new long[] {0, 200}, link.onlyNewAck(), "900 bytes / 4.5 per unit");
        small.reserve(450, false);
        tight.acknowledge(link.session);
        assertArrayEquals(new long[] {0, 100}, link.onlyNewAck());
    }

    @Test
    void aFrameOverrunningTheWindowDeliversTheMessagesThatFit() {
        assertThrows(ProtocolException.class,
                () -> receive(1, 1, ofUnits(600), ofUnits(400), "one too many"));
        assertEquals(2, delivered.size());
    }

    @Test
    void theWindowReopensAsTheListenerFinishes() {
        receive(1, 1, ofUnits(1_000));
        inflow.consumed(1_000);
        receive(2, 2, ofUnits(1_000));
        assertEquals(2, delivered.size());
    }

    @Test
    void aMessageRefusedForOverrunningTheWindowTakesNoWindow() {
        receive(1, 1, ofUnits(600));
        assertThrows(ProtocolException.class, () -> receive(2, 1, ofUnits(500)));
        assertEquals(600, inflow.backlog(), "only what was delivered");
        inflow.consumed(600);
        assertEquals(0, inflow.backlog());
        // The listener's progress reopens the whole window, and the friend is told so.
        assertArrayEquals(new long[] {1, WINDOW}, link.onlyNewAck());
    }

    @Test
    void duplicatesAreNotCheckedAgainstTheWindow() {
        receive(1, 1, ofUnits(1_000));
        // Sent again after a reconnect: no room is needed, it is not delivered twice.
        receive(1, 1, ofUnits(1_000));
        assertEquals(1, delivered.size());
    }

    // ---- ACKs ----

    @Test
    void noAckIsWrittenOnAClosedConnection() {
        receive(1, 1, "a");
        link.connection.close();
        inflow.acknowledge(link.session);
        assertEquals(List.of(), link.newAcks());
    }

    @Test
    void receivingWritesNoAckByItself() {
        receive(1, 1, "a");
        assertEquals(List.of(), link.newFrames());
    }

    @Test
    void finishingMessagesWhileMuchOfTheWindowIsLeftSendsNoUpdate() {
        receive(1, 1, ofUnits(300));
        ack(); // grants 700: more than half
        inflow.consumed(300);
        assertEquals(List.of(), link.newAcks());
    }

    @Test
    void finishingAQuarterOfTheWindowAfterItFellBelowHalfSendsAnUpdate() {
        receive(1, 1, ofUnits(600));
        assertEquals(400, ack()[1]); // below half

        inflow.consumed(600);

        assertArrayEquals(new long[] {1, WINDOW}, link.onlyNewAck());
    }

    @Test
    void finishingLessThanAQuarterSendsNoUpdateUntilTheQuarterIsReached() {
        receive(1, 1, ofUnits(100), ofUnits(100), ofUnits(400));
        assertEquals(400, ack()[1]);

        inflow.consumed(100);
        inflow.consumed(100);
        assertEquals(List.of(), link.newAcks(), "200 more is less than a quarter");

        inflow.consumed(400);
        assertArrayEquals(new long[] {3, WINDOW}, link.onlyNewAck());
    }

    @Test
    void theQuarterIsCountedFromWhatWasLastAdvertised() {
        receive(1, 1, ofUnits(250), ofUnits(250), ofUnits(250));
        assertEquals(250, ack()[1]);
        inflow.consumed(250);
        assertArrayEquals(new long[] {3, 500}, link.onlyNewAck(), "grew from 250 to 500");
        // 500 is not below half: finishing more sends nothing.
        inflow.consumed(250);
        assertEquals(List.of(), link.newAcks());
    }

    @Test
    void aWindowUpdateGoesToTheConnectionOfTheLatestData() {
        FakeLinkSessions.Link second = FakeLinkSessions.open(2, 100);
        receive(1, 1, ofUnits(300));
        ack();
        inflow.receive(data(2, 1, ofUnits(400)), second.session, delivery);
        inflow.acknowledge(second.session);
        assertArrayEquals(new long[] {2, 300}, second.onlyNewAck());

        inflow.consumed(300);

        assertEquals(List.of(), link.newAcks());
        assertArrayEquals(new long[] {2, 600}, second.onlyNewAck());
    }

    @Test
    void noWindowUpdateIsWrittenWhenTheLatestDataCameOnAClosedConnection() {
        receive(1, 1, ofUnits(700));
        ack();
        link.connection.close();
        inflow.consumed(700);
        assertEquals(List.of(), link.newAcks());
    }

    @Test
    void aWindowUpdateAfterAReconnectGoesToTheNewConnectionBeforeAnyDataArrivesOnIt() {
        receive(1, 1, ofUnits(700));
        assertEquals(300, ack()[1]);
        link.connection.close();
        FakeLinkSessions.Link second = FakeLinkSessions.open(2, 100);
        // The first ACK on the new connection: the friend sends nothing there while 300 is left.
        inflow.acknowledge(second.session);
        assertArrayEquals(new long[] {1, 300}, second.onlyNewAck());

        inflow.consumed(700);

        assertArrayEquals(new long[] {1, WINDOW}, second.onlyNewAck());
    }

    @Test
    void aWindowUpdateGoesToAnOpenConnectionAcknowledgedOnOnceTheOneOfTheLatestDataCloses() {
        FakeLinkSessions.Link second = FakeLinkSessions.open(2, 100);
        receive(1, 1, ofUnits(700));
        ack();
        inflow.acknowledge(second.session);
        second.onlyNewAck();
        link.connection.close();

        inflow.consumed(700);

        assertArrayEquals(new long[] {1, WINDOW}, second.onlyNewAck());
    }

    // ---- buffers ----

    @Test
    void aDirectBufferIsReadLikeAHeapBuffer() {
        ByteBuffer heap = data(1, 1, "d\u00ebr\u00eact", "two");
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
        direct.put(heap).flip();
        receive(direct);
        assertEquals(List.of("d\u00ebr\u00eact", "two"), delivered);
        assertFalse(direct.hasRemaining());
    }

    @Test
    void aSliceOfALargerArrayIsReadFromItsOwnOffset() {
        ByteBuffer frame = data(1, 1, "first", "second");
        byte[] padded = new byte[frame.remaining() + 10];
        frame.get(padded, 7, frame.remaining());
        ByteBuffer slice = ByteBuffer.wrap(padded, 7, padded.length - 10).slice();
        receive(slice);
        assertEquals(List.of("first", "second"), delivered);
    }

    @Test
    void textsWhoseHandingOnThrowsAreNeitherAcknowledgedNorTakenForCopiesWhenSentAgain() {
        receive(1, 1, "a");
        assertEquals(1, ack()[0]);
        long held = inflow.backlog();
        boolean[] fail = {true};
        Inflow.Delivery failing = TestDeliveries.of(() -> inflow,
                (text, firstEpoch, firstSeq, seq, units) -> {
                    if (fail[0]) {
                        throw new IllegalStateException("the store threw (test)");
                    }
                    inflow.recorded(inflow.currentEpoch(), seq);
                    delivered.add(text);
                });
        assertThrows(IllegalStateException.class,
                () -> inflow.receive(data(2, 1, "b", "c"), link.session, failing));
        assertEquals(1, ack()[0], "nothing of the failed frame is acknowledged");
        assertEquals(held, inflow.backlog(), "their window is given back");

        fail[0] = false;
        inflow.receive(data(2, 1, "b", "c"), link.session, failing);
        assertEquals(List.of("a", "b", "c"), delivered, "sent again, they are new");
        assertEquals(3, ack()[0]);
    }

    @Test
    void aFrameOfManyTextsGoesOnInPartsInOrderAndAFailedPartIsTakenAgainFromItsFirst() {
        Inflow big = new Inflow("alice", 1L << 20, budget, false,
                new ReceiveLedger(null, java.util.List.of()));
        big.acknowledge(link.session);
        link.newAcks();
        String[] texts = new String[ArrivedTexts.CAPACITY * 3 + 5];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "m" + (i + 1);
        }
        List<Integer> parts = new ArrayList<>();
        int[] failAtPart = {2};
        Inflow.Delivery counting = new Inflow.Delivery() {
            @Override
            public void deliver(ArrivedTexts arrived) {
                if (parts.size() == failAtPart[0]) {
                    failAtPart[0] = -1;
                    throw new IllegalStateException("the store threw (test)");
                }
                parts.add(arrived.size());
                for (int i = 0; i < arrived.size(); i++) {
                    big.recorded(big.currentEpoch(), arrived.seq(i));
                    delivered.add(arrived.text(i));
                }
            }

            @Override
            public void alreadyDelivered(long seq) {
                big.recorded(big.currentEpoch(), seq);
            }
        };
        assertThrows(IllegalStateException.class,
                () -> big.receive(data(1, 1, texts), link.session, counting));
        assertEquals(List.of(ArrivedTexts.CAPACITY, ArrivedTexts.CAPACITY), parts);
        big.acknowledge(link.session);
        assertEquals(2L * ArrivedTexts.CAPACITY, link.onlyNewAck()[0],
                "the parts handed on are received; the failed one and the rest are not");

        big.receive(data(1, 1, texts), link.session, counting);
        assertEquals(List.of(texts), delivered, "each once, in order");
        assertEquals(List.of(64, 64, 64, 5), parts);
    }
}
