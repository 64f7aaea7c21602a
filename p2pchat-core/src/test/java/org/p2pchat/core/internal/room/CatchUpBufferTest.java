package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;
import static org.p2pchat.core.internal.room.RoomFixtures.unsignedPost;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;

/** The catch-up buffer's bounds (count, age, bytes) and what it hands out. */
class CatchUpBufferTest {
    private static final long SECOND = 1_000_000_000L;
    private static final PeerKey ALICE = peerKey(1);
    private static final PeerKey BOB = peerKey(2);

    private static List<Long> seqs(List<RoomPost> posts) {
        return posts.stream().map(RoomPost::seq).toList();
    }

    private static CatchUpBuffer buffer(int count, Duration age, long bytes) {
        return new CatchUpBuffer(new CatchUpLimits(count, age, bytes));
    }

    @Test
    void beyondTheCountTheMessageKeptFirstGoesFirstAcrossOrigins() {
        CatchUpBuffer b = buffer(5, Duration.ofHours(1), 1 << 20);
        for (long s = 1; s <= 4; s++) {
            b.add(unsignedPost(1, 10, s), 0);
        }
        for (long s = 1; s <= 3; s++) {
            b.add(unsignedPost(2, 20, s), 0);
        }
        assertEquals(5, b.size());
        assertEquals(List.of(3L, 4L), seqs(b.range(ALICE, 10, 1, 100, 100, 1 << 20, 0)));
        assertEquals(List.of(1L, 2L, 3L), seqs(b.range(BOB, 20, 1, 100, 100, 1 << 20, 0)));
        assertEquals(3, b.runStart(ALICE, 10, 5, 0), "alice's run now starts at 3");
    }

    @Test
    void aMessageOlderThanTheAgeIsDropped() {
        CatchUpBuffer b = buffer(100, Duration.ofSeconds(10), 1 << 20);
        b.add(unsignedPost(1, 10, 1), 0);
        b.add(unsignedPost(1, 10, 2), 5 * SECOND);
        assertEquals(List.of(1L, 2L), seqs(b.range(ALICE, 10, 1, 3, 10, 1 << 20, 10 * SECOND)));
        assertEquals(List.of(2L), seqs(b.range(ALICE, 10, 1, 3, 10, 1 << 20, 10 * SECOND + 1)));
        b.expire(15 * SECOND + 1);
        assertEquals(0, b.size());
        assertEquals(0, b.bytes());
        assertEquals(3, b.runStart(ALICE, 10, 3, 15 * SECOND + 1), "nothing kept: from the end");
    }

    @Test
    void theBytesStayWithinTheBoundCountedBeforeAMessageIsKept() {
        int cost = unsignedPost(1, 10, 1).encoded().length + CatchUpBuffer.ENTRY_OVERHEAD;
        CatchUpBuffer b = buffer(1000, Duration.ofHours(1), 3L * cost + cost / 2);
        for (long s = 1; s <= 9; s++) { // texts "m1" to "m9": all of one size
            b.add(unsignedPost(1, 10, s), 0);
            assertTrue(b.bytes() <= 3L * cost + cost / 2, "bytes " + b.bytes());
        }
        assertEquals(3, b.size());
        assertEquals(3L * cost, b.bytes());
        assertEquals(List.of(7L, 8L, 9L), seqs(b.range(ALICE, 10, 1, 11, 100, 1 << 20, 0)));
        CatchUpBuffer tiny = buffer(1000, Duration.ofHours(1), cost - 1);
        tiny.add(unsignedPost(1, 10, 1), 0);
        assertEquals(0, tiny.size(), "a message beyond the whole budget is not kept");
    }

    @Test
    void aCountOfZeroKeepsNothing() {
        CatchUpBuffer b = buffer(0, Duration.ofHours(1), 1 << 20);
        b.add(unsignedPost(1, 10, 1), 0);
        assertEquals(0, b.size());
    }

    @Test
    void aRangeIsBoundedByCountAndBytesButAlwaysHasItsFirstMessage() {
        CatchUpBuffer b = buffer(100, Duration.ofHours(1), 1 << 20);
        for (long s = 1; s <= 20; s++) {
            b.add(unsignedPost(1, 10, s), 0);
        }
        assertEquals(List.of(5L, 6L, 7L), seqs(b.range(ALICE, 10, 5, 15, 3, 1 << 20, 0)));
        int size = unsignedPost(1, 10, 1).encoded().length;
        assertEquals(List.of(5L, 6L), seqs(b.range(ALICE, 10, 5, 15, 100, 2L * size + 1, 0)));
        assertEquals(List.of(5L), seqs(b.range(ALICE, 10, 5, 15, 100, 1, 0)));
        assertEquals(List.of(), seqs(b.range(ALICE, 11, 5, 15, 100, 1 << 20, 0)),
                "another incarnation");
        assertArrayEquals(unsignedPost(1, 10, 5).encoded(),
                b.range(ALICE, 10, 5, 6, 1, 1 << 20, 0).get(0).encoded(), "the bytes as kept");
    }

    @Test
    void aRunStopsAtAGapAndANewIncarnationReplacesTheOldOne() {
        CatchUpBuffer b = buffer(100, Duration.ofHours(1), 1 << 20);
        for (long s : new long[] {1, 2, 3, 7, 8}) {
            b.add(unsignedPost(1, 10, s), 0);
        }
        assertEquals(7, b.runStart(ALICE, 10, 9, 0));
        assertEquals(1, b.runStart(ALICE, 10, 4, 0));
        assertEquals(10, b.runStart(ALICE, 10, 10, 0), "9 is not kept");
        b.add(unsignedPost(1, 11, 1), 0);
        assertEquals(1, b.size());
        assertEquals(List.of(), seqs(b.range(ALICE, 10, 1, 100, 100, 1 << 20, 0)));
        b.add(unsignedPost(1, 10, 9), 0);
        assertEquals(1, b.size(), "an older incarnation is not kept again");
        b.forget(ALICE);
        assertEquals(0, b.size());
        assertEquals(0, b.bytes());
    }
}
