package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.core.internal.room.RoomFixtures.keys;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;
import static org.p2pchat.core.internal.room.RoomFixtures.unsignedPost;
import static org.p2pchat.core.internal.room.RoomFixtures.unsignedPostBytes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;

/** {@link OriginOrder} and {@link RoomSequencer}: once each, in order, in bounded state. */
class RoomSequencerTest {
    private static final long INC = 1_000;

    private static List<Long> seqs(List<RoomPost> posts) {
        List<Long> out = new ArrayList<>();
        posts.forEach(p -> out.add(p.seq()));
        return out;
    }

    private static OriginOrder order() {
        return new OriginOrder(INC, 1);
    }

    private static List<Long> accept(OriginOrder o, long seq) {
        return seqs(o.accept(unsignedPost(1, INC, seq), 0));
    }

    @Test
    void inOrderMessagesAreDeliveredAtOnce() {
        OriginOrder o = order();
        for (long s = 1; s <= 5; s++) {
            assertEquals(List.of(s), accept(o, s));
        }
        assertEquals(6, o.next());
        assertEquals(0, o.held());
    }

    @Test
    void aDeliveredMessageIsACopy() {
        OriginOrder o = order();
        accept(o, 1);
        accept(o, 2);
        assertTrue(o.isCopy(INC, 1));
        assertTrue(o.isCopy(INC, 2));
        assertFalse(o.isCopy(INC, 3));
        assertFalse(o.isCopy(INC, 4));
    }

    @Test
    void outOfOrderMessagesAreHeldThenReleasedInOrder() {
        OriginOrder o = order();
        assertEquals(List.of(), accept(o, 3));
        assertEquals(List.of(), accept(o, 5));
        assertEquals(List.of(), accept(o, 2));
        assertEquals(3, o.held());
        assertTrue(o.isCopy(INC, 3), "a held message is a copy too");
        assertFalse(o.isCopy(INC, 4));
        assertEquals(List.of(1L, 2L, 3L), accept(o, 1));
        assertEquals(1, o.held());
        assertEquals(List.of(4L, 5L), accept(o, 4));
        assertEquals(0, o.held());
        assertEquals(6, o.next());
    }

    @Test
    void atMostMaxHeldMessagesAreHeldAheadOfAGap() {
        OriginOrder o = order();
        for (long s = 2; s <= OriginOrder.MAX_HELD + 10; s++) {
            assertEquals(List.of(), accept(o, s));
            assertTrue(o.held() <= OriginOrder.MAX_HELD);
        }
        assertEquals(OriginOrder.MAX_HELD, o.held());
        assertFalse(o.isCopy(INC, OriginOrder.MAX_HELD + 2), "dropped, not held: not a copy");
        List<Long> released = accept(o, 1);
        assertEquals(OriginOrder.MAX_HELD + 1, released.size());
        for (int i = 0; i < released.size(); i++) {
            assertEquals(i + 1, released.get(i));
        }
        assertEquals(OriginOrder.MAX_HELD + 2, o.next());
        assertEquals(List.of((long) OriginOrder.MAX_HELD + 2), accept(o, OriginOrder.MAX_HELD + 2),
                "the dropped one is taken when it comes again");
    }

    @Test
    void aNewerIncarnationRestartsTheNumberingAndMakesTheOlderOnesCopies() {
        OriginOrder o = order();
        accept(o, 1);
        accept(o, 2);
        accept(o, 5);
        assertEquals(1, o.held());
        assertEquals(List.of(1L), seqs(o.accept(unsignedPost(1, INC + 1, 1), 0)));
        assertEquals(INC + 1, o.incarnation());
        assertEquals(2, o.next());
        assertEquals(0, o.held(), "the old incarnation's held messages are gone");
        assertTrue(o.isCopy(INC, 3), "an older incarnation's message is a copy");
        assertTrue(o.isCopy(INC, 100));
        assertFalse(o.isCopy(INC + 2, 1), "a newer one is not");
    }

    @Test
    void aNewerIncarnationMayStartAheadOfItsFirstMessage() {
        OriginOrder o = order();
        accept(o, 1);
        assertEquals(List.of(), seqs(o.accept(unsignedPost(1, INC + 1, 2), 0)));
        assertEquals(List.of(1L, 2L), seqs(o.accept(unsignedPost(1, INC + 1, 1), 0)));
    }

    @Test
    void restartForgetsTheOldNumberingOnlyForANewerIncarnation() {
        OriginOrder o = order();
        accept(o, 1);
        accept(o, 3);
        o.restart(INC);
        assertEquals(2, o.next());
        assertEquals(1, o.held());
        o.restart(INC - 1);
        assertEquals(2, o.next());
        o.restart(INC + 1);
        assertEquals(1, o.next());
        assertEquals(0, o.held());
        assertEquals(INC + 1, o.incarnation());
    }

    @Test
    void aGapIsSkippedOnlyOnceItIsOlderThanTheDeadline() {
        OriginOrder o = order();
        o.accept(unsignedPost(1, INC, 3), 1_000);
        o.accept(unsignedPost(1, INC, 4), 1_500);
        o.accept(unsignedPost(1, INC, 7), 2_000);
        assertEquals(List.of(), seqs(o.skipGapOlderThan(999)), "the gap began at 1000");
        assertEquals(3, o.held());
        assertEquals(List.of(3L, 4L), seqs(o.skipGapOlderThan(1_000)));
        assertEquals(5, o.next());
        assertTrue(o.isCopy(INC, 1), "a message skipped over is a copy when it comes late");
        assertTrue(o.isCopy(INC, 2));
        assertEquals(1, o.held());
        assertEquals(List.of(7L), seqs(o.skipGapOlderThan(5_000)));
        assertEquals(8, o.next());
        assertEquals(List.of(), seqs(o.skipGapOlderThan(10_000)), "nothing held, nothing to skip");
        assertEquals(8, o.next());
    }

    @Test
    void skippingWorksAcrossTheTickerWrappingAround() {
        OriginOrder o = order();
        long near = Long.MAX_VALUE - 10;
        o.accept(unsignedPost(1, INC, 2), near);
        assertEquals(List.of(), seqs(o.skipGapOlderThan(near - 5)));
        assertEquals(List.of(2L), seqs(o.skipGapOlderThan(near + 20)), "past the wrap");
    }

    // ---- RoomSequencer ----

    @Test
    void theSequencerIgnoresOriginsItHasNoRecordOf() {
        RoomSequencer s = new RoomSequencer();
        assertFalse(s.isCopy(unsignedPost(1, INC, 1)));
        assertEquals(List.of(), s.accept(unsignedPost(1, INC, 1), 0));
        assertEquals(0, s.stateSize());
    }

    @Test
    void theSequencerDeliversEachOriginInItsOwnOrder() {
        RoomSequencer s = new RoomSequencer();
        s.member(peerKey(1), keys(1).publicKey(), INC);
        s.member(peerKey(2), keys(2).publicKey(), INC);
        assertEquals(List.of(), seqs(s.accept(unsignedPost(1, INC, 2), 0)));
        assertEquals(List.of(1L), seqs(s.accept(unsignedPost(2, INC, 1), 0)));
        assertTrue(s.isCopy(unsignedPost(2, INC, 1)));
        assertTrue(s.isCopy(unsignedPost(1, INC, 2)));
        assertEquals(List.of(), s.accept(unsignedPost(2, INC, 1), 0), "a copy");
        assertEquals(3, s.stateSize(), "two origins and one held");
        assertEquals(List.of(1L, 2L), seqs(s.accept(unsignedPost(1, INC, 1), 0)));
        assertEquals(3, s.next(peerKey(1)));
        assertEquals(2, s.next(peerKey(2)));
        assertEquals(0, s.next(peerKey(3)));
        assertEquals(2, s.stateSize());
    }

    @Test
    void aJoinerStartsEachOriginWhereItsAdmitterStood() {
        RoomSequencer s = new RoomSequencer();
        s.start(new RoomSequencer.Position(peerKey(1), keys(1).publicKey(), INC, 40));
        assertTrue(s.isCopy(unsignedPost(1, INC, 39)));
        assertEquals(List.of(40L), seqs(s.accept(unsignedPost(1, INC, 40), 0)));
        s.member(peerKey(1), keys(1).publicKey(), INC);
        assertEquals(41, s.next(peerKey(1)), "learning the record it started from changes nothing");
        s.member(peerKey(1), keys(1).publicKey(), INC + 1);
        assertEquals(1, s.next(peerKey(1)), "a new incarnation starts over");
        RoomSequencer.Position p = s.positions().get(0);
        assertEquals(peerKey(1), p.origin());
        assertEquals(INC + 1, p.incarnation());
        assertEquals(1, p.next());
    }

    @Test
    void theSequencerGivesUpOnOldGapsOfEveryOrigin() {
        RoomSequencer s = new RoomSequencer();
        s.member(peerKey(1), keys(1).publicKey(), INC);
        s.member(peerKey(2), keys(2).publicKey(), INC);
        s.accept(unsignedPost(1, INC, 2), 100);
        s.accept(unsignedPost(2, INC, 3), 200);
        assertEquals(List.of(), s.skipGapsOlderThan(99));
        assertEquals(List.of(2L), seqs(s.skipGapsOlderThan(150)));
        assertEquals(List.of(3L), seqs(s.skipGapsOlderThan(250)));
        assertEquals(2, s.stateSize());
    }

    @Test
    void forgettingAnOriginDropsItsState() {
        RoomSequencer s = new RoomSequencer();
        s.member(peerKey(1), keys(1).publicKey(), INC);
        s.accept(unsignedPost(1, INC, 5), 0);
        assertEquals(2, s.stateSize());
        s.forget(peerKey(1));
        assertEquals(0, s.stateSize());
        assertTrue(s.positions().isEmpty());
    }

    /**
     * The requirement: 100,000 room messages through one peer keep its de-duplication
     * state within its bound. Several origins, each message sent up to three times (relays),
     * reordered within a small window; the state is measured after every message.
     */
    @Test
    void aHundredThousandMessagesKeepTheStateWithinItsBound() {
        int origins = 5;
        int perOrigin = 20_000;
        int window = 12;
        Random random = new Random(100_000);
        RoomSequencer s = new RoomSequencer();
        PeerKey[] keys = new PeerKey[origins];
        byte[][] templates = new byte[origins][];
        for (int o = 0; o < origins; o++) {
            keys[o] = peerKey(o + 1);
            s.member(keys[o], keys(o + 1).publicKey(), INC);
            templates[o] = unsignedPostBytes(o + 1, INC, 1, "message text of a usual length");
        }
        // each origin's numbers, shuffled within consecutive windows, some sent two or three times
        List<List<Long>> streams = new ArrayList<>();
        for (int o = 0; o < origins; o++) {
            List<Long> stream = new ArrayList<>();
            for (long base = 1; base <= perOrigin; base += window) {
                List<Long> w = new ArrayList<>();
                for (long q = base; q < base + window && q <= perOrigin; q++) {
                    w.add(q);
                    if (random.nextInt(10) == 0) {
                        w.add(q);
                    }
                    if (random.nextInt(50) == 0) {
                        w.add(q);
                    }
                }
                Collections.shuffle(w, random);
                stream.addAll(w);
            }
            streams.add(stream);
        }
        int[] at = new int[origins];
        long[] expectNext = new long[origins];
        java.util.Arrays.fill(expectNext, 1);
        int bound = origins + OriginOrder.MAX_HELD * origins;
        int pushed = 0;
        int maxSeen = 0;
        long delivered = 0;
        while (true) {
            List<Integer> live = new ArrayList<>();
            for (int o = 0; o < origins; o++) {
                if (at[o] < streams.get(o).size()) {
                    live.add(o);
                }
            }
            if (live.isEmpty()) {
                break;
            }
            int o = live.get(random.nextInt(live.size()));
            long seq = streams.get(o).get(at[o]++);
            byte[] b = templates[o].clone();
            ByteBuffer.wrap(b).putLong(16 + 32 + 8, seq);
            RoomPost p = RoomPost.read(b);
            List<RoomPost> due = s.isCopy(p) ? List.of() : s.accept(p, pushed);
            for (RoomPost d : due) {
                int origin = java.util.Arrays.asList(keys).indexOf(d.originKey());
                assertEquals(expectNext[origin], d.seq(), "origin " + origin + " out of order");
                expectNext[origin]++;
                delivered++;
            }
            pushed++;
            int size = s.stateSize();
            maxSeen = Math.max(maxSeen, size);
            if (size > bound) {
                throw new AssertionError("state of " + size + " after " + pushed + " messages");
            }
        }
        assertTrue(pushed >= 100_000, "pushed " + pushed);
        assertEquals((long) origins * perOrigin, delivered, "each message delivered once");
        assertEquals(origins, s.stateSize(), "back to one entry per origin");
        assertTrue(maxSeen > origins, "some were held on the way (else the test shows nothing)");
    }

    /** Messages that never come: the held ones stay within MAX_HELD per origin until skipped. */
    @Test
    void lostMessagesNeverGrowTheStateBeyondItsBound() {
        int origins = 3;
        RoomSequencer s = new RoomSequencer();
        byte[][] templates = new byte[origins][];
        for (int o = 0; o < origins; o++) {
            s.member(peerKey(o + 1), keys(o + 1).publicKey(), INC);
            templates[o] = unsignedPostBytes(o + 1, INC, 1, "x");
        }
        Random random = new Random(7);
        long now = 0;
        int sent = 0;
        int delivered = 0;
        for (long seq = 1; seq <= 5_000; seq++) {
            for (int o = 0; o < origins; o++) {
                if (random.nextInt(100) == 0) {
                    continue; // lost on every path
                }
                sent++;
                byte[] b = templates[o].clone();
                ByteBuffer.wrap(b).putLong(16 + 32 + 8, seq);
                delivered += s.accept(RoomPost.read(b), now).size();
                assertTrue(s.stateSize() <= origins + OriginOrder.MAX_HELD * origins);
            }
            now += 1_000_000; // 1 ms a round
            if (seq % 50 == 0) {
                delivered += s.skipGapsOlderThan(now - 30_000_000L).size();
            }
        }
        for (int released = -1; released != 0; ) {
            released = s.skipGapsOlderThan(now + 1).size();
            delivered += released;
        }
        assertEquals(origins, s.stateSize());
        assertEquals(sent, delivered, "every message that came was delivered, once");
    }
}
