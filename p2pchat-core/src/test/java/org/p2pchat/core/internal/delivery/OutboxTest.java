package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.OutboxFullException;

/** The per-friend outbox: numbering, the byte limit, flight, acknowledgement, expiry. */
class OutboxTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int OVERHEAD = MessageFrames.MESSAGE_OVERHEAD;

    private final Outbox outbox = new Outbox("bob", 1_000);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Outbox.Entry add(String text) {
        return outbox.add(MessageFrames.KIND_TEXT, utf8(text), new CompletableFuture<>(), NO_DEADLINE);
    }

    private Outbox.Entry add(String text, long deadline) {
        return outbox.add(MessageFrames.KIND_TEXT, utf8(text), new CompletableFuture<>(), deadline);
    }

    private static List<Long> seqs(List<Outbox.Entry> entries) {
        List<Long> s = new ArrayList<>();
        for (Outbox.Entry e : entries) {
            s.add(e.seq);
        }
        return s;
    }

    /** Transmits every waiting entry and returns their numbers in the order they went. */
    private List<Long> transmitAll() {
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 1_000 && outbox.hasWaiting(); i++) {
            sent.add(outbox.transmitNext(0).seq);
        }
        assertFalse(outbox.hasWaiting(), "bounded loop ended with entries waiting");
        return sent;
    }

    private List<Long> acknowledge(long seq) {
        List<Outbox.Entry> removed = new ArrayList<>();
        outbox.acknowledge(seq, removed);
        return seqs(removed);
    }

    // ---- numbering and the limit ----

    @Test
    void aNewOutboxIsEmptyWithFloorOne() {
        assertTrue(outbox.isEmpty());
        assertFalse(outbox.hasWaiting());
        assertFalse(outbox.hasInFlight());
        assertEquals(1, outbox.floor());
        assertEquals(0, outbox.units());
        assertEquals(0, outbox.highestTransmitted());
        assertNull(outbox.peekWaiting());
    }

    @Test
    void messagesAreNumberedFromOneInTheOrderAdded() {
        assertEquals(1, add("a").seq);
        assertEquals(2, add("b").seq);
        assertEquals(3, add("c").seq);
        assertEquals(List.of(1L, 2L, 3L), transmitAll());
    }

    @Test
    void anEntryKeepsWhatItWasGiven() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] text = utf8("hello");
        Outbox.Entry e = outbox.add(MessageFrames.KIND_TEXT, text, done, 12_345);
        assertSame(text, e.utf8);
        assertSame(done, e.done);
        assertEquals(12_345, e.deadline);
        assertFalse(e.transmitted);
        assertSame(e, outbox.peekWaiting());
    }

    @Test
    void eachMessageCountsItsUtf8BytesPlus32() {
        Outbox.Entry e = add("\u00e9t\u00e9"); // 5 bytes in UTF-8, 3 chars
        assertEquals(5 + OVERHEAD, e.units());
        add("");
        assertEquals(5 + OVERHEAD + OVERHEAD, outbox.units());
    }

    @Test
    void aMessageThatReachesTheLimitExactlyIsAccepted() {
        add("x".repeat(1_000 - OVERHEAD));
        assertEquals(1_000, outbox.units());
    }

    @Test
    void aMessageBeyondTheLimitIsRefusedAndLeavesTheOutboxUnchanged() {
        add("x".repeat(500 - OVERHEAD));
        add("y".repeat(400 - OVERHEAD));
        long floor = outbox.floor();

        OutboxFullException e = assertThrows(OutboxFullException.class,
                () -> add("z".repeat(101 - OVERHEAD)));

        assertTrue(e.getMessage().contains("p2pchat.outboxLimitBytes"), e.getMessage());
        assertTrue(e.getMessage().contains("bob"), e.getMessage());
        assertEquals(900, outbox.units());
        assertEquals(floor, outbox.floor());
        assertEquals(List.of(1L, 2L), transmitAll());
        // The refused message took no number: the next one is 3.
        assertEquals(3, add("w".repeat(100 - OVERHEAD)).seq);
    }

    @Test
    void evenAnEmptyMessageCountsAgainstTheLimit() {
        Outbox tiny = new Outbox("bob", 3 * OVERHEAD);
        for (int i = 0; i < 3; i++) {
            tiny.add(MessageFrames.KIND_TEXT, new byte[0], new CompletableFuture<>(), NO_DEADLINE);
        }
        assertThrows(OutboxFullException.class,
                () -> tiny.add(MessageFrames.KIND_TEXT, new byte[0], new CompletableFuture<>(), NO_DEADLINE));
    }

    @Test
    void acknowledgedBytesMakeRoomAgain() {
        add("x".repeat(600 - OVERHEAD));
        assertThrows(OutboxFullException.class, () -> add("y".repeat(600 - OVERHEAD)));
        outbox.transmitNext(0);
        acknowledge(1);
        assertEquals(0, outbox.units());
        assertEquals(2, add("y".repeat(600 - OVERHEAD)).seq);
    }

    // ---- flight and acknowledgement ----

    @Test
    void transmittingMovesTheFrontWaitingEntryIntoFlight() {
        add("a");
        add("bb");
        Outbox.Entry first = outbox.transmitNext(0);
        assertEquals(1, first.seq);
        assertTrue(first.transmitted);
        assertTrue(outbox.hasInFlight());
        assertTrue(outbox.hasWaiting());
        assertEquals(1 + OVERHEAD, outbox.inFlightUnits());
        assertEquals(1, outbox.highestTransmitted());
        assertEquals(2, outbox.peekWaiting().seq);
        assertEquals(1 + OVERHEAD + 2 + OVERHEAD, outbox.units(), "in flight still counts");
    }

    @Test
    void anEntryRemembersWhenItWasLastWritten() {
        add("a");
        add("b");
        assertEquals(-1, outbox.oldestUnacknowledgedWriteAt(-1));
        outbox.transmitNext(10);
        outbox.transmitNext(20);
        assertEquals(10, outbox.oldestUnacknowledgedWriteAt(-1));

        outbox.rewind();
        assertEquals(-1, outbox.oldestUnacknowledgedWriteAt(-1), "nothing in flight after a rewind");
        Outbox.Entry again = outbox.transmitNext(30);
        assertEquals(30, again.transmittedAt, "written again");

        acknowledge(1);
        assertEquals(-1, outbox.oldestUnacknowledgedWriteAt(-1));
        assertEquals(40, outbox.transmitNext(40).transmittedAt);
        assertEquals(40, outbox.oldestUnacknowledgedWriteAt(-1));
    }

    @Test
    void aCumulativeAckRemovesEveryEntryUpToItsNumberInOrder() {
        for (int i = 0; i < 5; i++) {
            add("m" + i);
        }
        transmitAll();

        assertEquals(List.of(1L, 2L, 3L), acknowledge(3));

        assertEquals(4, outbox.floor());
        assertEquals(2 * (2 + OVERHEAD), outbox.inFlightUnits());
        assertEquals(2 * (2 + OVERHEAD), outbox.units());
        assertEquals(List.of(4L, 5L), acknowledge(5));
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.inFlightUnits());
        assertEquals(6, outbox.floor());
    }

    @Test
    void theEntriesInFlightUpToANumberAreCountedBeforeTheAckRemovesThem() {
        for (int i = 0; i < 5; i++) {
            add("m" + i);
        }
        outbox.transmitNext(0);
        outbox.transmitNext(0);
        outbox.transmitNext(0);
        assertEquals(0, outbox.inFlightUpTo(0));
        assertEquals(2, outbox.inFlightUpTo(2));
        assertEquals(3, outbox.inFlightUpTo(5), "only those in flight");
        acknowledge(2);
        assertEquals(0, outbox.inFlightUpTo(2), "below what is left in flight");
        assertEquals(1, outbox.inFlightUpTo(3));
    }

    @Test
    void anAckBelowTheFloorRemovesNothing() {
        add("a");
        add("b");
        transmitAll();
        acknowledge(1);
        assertEquals(List.of(), acknowledge(1));
        assertEquals(List.of(), acknowledge(0));
        assertEquals(2, outbox.floor());
    }

    @Test
    void anAckOfPartOfTheFlightLeavesTheRestInFlightAndTheWaitingWaiting() {
        add("a");
        add("b");
        add("c");
        outbox.transmitNext(0);
        outbox.transmitNext(0);
        assertEquals(List.of(1L), acknowledge(1));
        assertTrue(outbox.hasInFlight());
        assertEquals(2, outbox.floor());
        assertEquals(1 + OVERHEAD, outbox.inFlightUnits());
        assertEquals(3, outbox.peekWaiting().seq);
    }

    @Test
    void anAckAfterAReconnectRemovesEntriesWaitingToBeSentAgain() {
        for (int i = 0; i < 4; i++) {
            add("m" + i);
        }
        transmitAll();
        outbox.rewind();
        assertFalse(outbox.hasInFlight());

        // The friend had received 1..3 before the connection was lost: its first ACK says so.
        assertEquals(List.of(1L, 2L, 3L), acknowledge(3));

        assertEquals(4, outbox.peekWaiting().seq);
        assertEquals(2 + OVERHEAD, outbox.units());
        assertEquals(0, outbox.inFlightUnits());
    }

    @Test
    void rewindPutsWhatWasInFlightBackInFrontInOrder() {
        for (int i = 0; i < 5; i++) {
            add("m" + i);
        }
        outbox.transmitNext(0);
        outbox.transmitNext(0);
        outbox.transmitNext(0);

        outbox.rewind();

        assertFalse(outbox.hasInFlight());
        assertEquals(0, outbox.inFlightUnits());
        assertEquals(5 * (2 + OVERHEAD), outbox.units());
        assertEquals(1, outbox.floor());
        assertEquals(3, outbox.highestTransmitted(), "what went out once still counts");
        Outbox.Entry again = outbox.transmitNext(0);
        assertTrue(again.transmitted);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), prepend(again.seq, transmitAll()));
    }

    @Test
    void rewindingTwiceKeepsTheOrder() {
        for (int i = 0; i < 4; i++) {
            add("m" + i);
        }
        outbox.transmitNext(0);
        outbox.rewind();
        outbox.transmitNext(0);
        outbox.transmitNext(0);
        outbox.rewind();
        outbox.rewind();
        assertEquals(List.of(1L, 2L, 3L, 4L), transmitAll());
    }

    @Test
    void highestTransmittedOnlyGrows() {
        add("a");
        add("b");
        transmitAll();
        acknowledge(2);
        outbox.rewind();
        assertEquals(2, outbox.highestTransmitted());
        add("c");
        assertEquals(2, outbox.highestTransmitted(), "added is not transmitted");
        outbox.transmitNext(0);
        assertEquals(3, outbox.highestTransmitted());
    }

    // ---- the floor ----

    @Test
    void theFloorIsTheFrontEntrysNumber() {
        add("a");
        add("b");
        assertEquals(1, outbox.floor());
        outbox.transmitNext(0);
        assertEquals(1, outbox.floor(), "in flight");
        acknowledge(1);
        assertEquals(2, outbox.floor(), "waiting");
    }

    @Test
    void theFloorOfAnEmptiedOutboxIsTheNextNumber() {
        add("a");
        add("b");
        transmitAll();
        acknowledge(2);
        assertTrue(outbox.isEmpty());
        assertEquals(3, outbox.floor());
        assertEquals(3, add("c").seq);
    }

    // ---- expiry and removal ----

    @Test
    void theFrontExpiresOnlyOnceItsDeadlineHasCome() {
        add("a", 1_000);
        assertNull(outbox.expireFront(999));
        assertEquals(1, outbox.floor());
        Outbox.Entry e = outbox.expireFront(1_000);
        assertEquals(1, e.seq);
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.units());
    }

    @Test
    void onlyTheFrontExpiresNotAnExpiredEntryBehindIt() {
        add("a", 5_000);
        add("b", 1_000);
        assertNull(outbox.expireFront(2_000));
        assertEquals(2 * (1 + OVERHEAD), outbox.units());
        assertEquals(1, outbox.floor());
    }

    @Test
    void expiredEntriesLeaveOneAtATimeFromTheFront() {
        add("a", 100);
        add("b", 200);
        add("c", 300);
        outbox.transmitNext(0);
        assertEquals(1, outbox.expireFront(250).seq);
        assertEquals(1 + OVERHEAD, outbox.inFlightUnits(), "still on its way until acknowledged");
        assertEquals(2, outbox.expireFront(250).seq);
        assertNull(outbox.expireFront(250));
        assertEquals(3, outbox.floor());
        assertEquals(1 + OVERHEAD, outbox.units());
    }

    @Test
    void anEntryThatExpiresInFlightStillCountsAsUnacknowledgedUntilAnAckCoversIt() {
        add("a", 100);
        add("b", 100);
        outbox.transmitNext(7);
        outbox.transmitNext(8);
        outbox.expireFront(100);
        assertEquals(1 + OVERHEAD, outbox.units(), "its bytes leave the outbox");
        assertEquals(2, outbox.floor());
        // It is still on its way: it fills the friend's window and its write awaits an ACK.
        assertEquals(2 * (1 + OVERHEAD), outbox.inFlightUnits());
        assertEquals(7, outbox.oldestUnacknowledgedWriteAt(-1));
        assertEquals(List.of(), acknowledge(1), "an ACK of it returns nothing");
        assertEquals(1 + OVERHEAD, outbox.inFlightUnits());
        assertEquals(8, outbox.oldestUnacknowledgedWriteAt(-1));
        assertEquals(List.of(2L), acknowledge(2));
        assertEquals(0, outbox.inFlightUnits());
    }

    @Test
    void anEntryThatExpiredInFlightIsForgottenWhenTheConnectionIsLost() {
        add("a", 100);
        add("b", NO_DEADLINE);
        transmitAll();
        outbox.expireFront(100);
        outbox.rewind();
        assertEquals(0, outbox.inFlightUnits());
        assertEquals(-1, outbox.oldestUnacknowledgedWriteAt(-1));
        assertEquals(2, outbox.transmitNext(0).seq, "only the live one is sent again");
    }

    @Test
    void messagesNeverTransmittedCanBeRenumbered() {
        add("a");
        add("b");
        assertFalse(outbox.everTransmitted());
        outbox.renumberFrom(41);
        assertEquals(41, outbox.floor());
        assertEquals(43, add("c").seq);
        assertEquals(List.of(41L, 42L, 43L), transmitAll());
        assertTrue(outbox.everTransmitted());
        assertThrows(IllegalStateException.class, () -> outbox.renumberFrom(100));
    }

    @Test
    void deadlinesAreComparedAcrossTheWrapOfTheTicker() {
        // nanoTime may be near Long.MAX_VALUE: now + timeout wraps to a negative deadline.
        long now = Long.MAX_VALUE - 10;
        long deadline = now + 100; // wraps
        assertTrue(deadline < 0);
        add("a", deadline);
        assertNull(outbox.expireFront(now), "99 ns before its deadline");
        assertNull(outbox.expireFront(now + 99));
        assertEquals(1, outbox.expireFront(now + 100).seq);
    }

    @Test
    void anEmptyOutboxExpiresNothing() {
        assertNull(outbox.expireFront(Long.MAX_VALUE));
        assertNull(outbox.expireFront(Long.MIN_VALUE));
    }

    @Test
    void removeFrontTakesTheFrontWhetherInFlightOrWaiting() {
        add("a");
        add("b");
        outbox.transmitNext(0);
        assertEquals(1, outbox.removeFront().seq);
        assertEquals(1 + OVERHEAD, outbox.inFlightUnits(), "still on its way until acknowledged");
        assertEquals(2, outbox.removeFront().seq);
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.units());
        assertEquals(3, outbox.floor());
    }

    @Test
    void clearRemovesEverythingInOrderButKeepsTheNumbering() {
        for (int i = 0; i < 4; i++) {
            add("m" + i);
        }
        outbox.transmitNext(0);
        outbox.transmitNext(0);
        List<Outbox.Entry> removed = new ArrayList<>();

        outbox.clear(removed);

        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(removed));
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.units());
        assertEquals(0, outbox.inFlightUnits());
        assertEquals(5, outbox.floor());
        assertEquals(5, add("again").seq);
    }

    @Test
    void unitsStayConsistentThroughAMixOfOperations() {
        // A bounded, deterministic walk; units must always equal the sum over entries held.
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        Outbox box = new Outbox("bob", 10_000);
        List<Outbox.Entry> held = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < 5_000; step++) {
            now += 1;
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    byte[] text = new byte[random.nextInt(200)];
                    try {
                        held.add(box.add(MessageFrames.KIND_TEXT, text, new CompletableFuture<>(), now + random.nextInt(50)));
                    } catch (OutboxFullException full) {
                        // fine: checked below through units()
                    }
                }
                case 2 -> {
                    if (box.hasWaiting()) {
                        box.transmitNext(now);
                    }
                }
                case 3 -> {
                    List<Outbox.Entry> removed = new ArrayList<>();
                    // Never beyond what was transmitted: FriendLink refuses such an ACK.
                    box.acknowledge(Math.min(box.highestTransmitted(),
                            box.floor() + random.nextInt(3) - 1), removed);
                    held.removeAll(removed);
                }
                case 4 -> box.rewind();
                default -> {
                    Outbox.Entry e = box.expireFront(now);
                    if (e != null) {
                        assertSame(held.get(0), e, "expires from the front");
                        held.remove(0);
                    }
                }
            }
            long sum = 0;
            for (Outbox.Entry e : held) {
                sum += e.units();
            }
            assertEquals(sum, box.units(), "step " + step);
            assertTrue(box.units() <= 10_000);
            assertEquals(held.isEmpty(), box.isEmpty());
            if (!held.isEmpty()) {
                assertEquals(held.get(0).seq, box.floor(), "step " + step);
            }
        }
    }

    private static List<Long> prepend(long first, List<Long> rest) {
        List<Long> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
