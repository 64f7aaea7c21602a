package org.p2pchat.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.PeerKey;

/** A series' index finds each number's time, however the numbers come and go. */
class SeriesIndexTest {
    @Test
    void numbersInAnyOrderAndRemovedFromAnywhereAreFoundAsATreeWouldFindThem() {
        Random random = new Random(11);
        SeriesIndex index = new SeriesIndex();
        TreeMap<Long, Long> expected = new TreeMap<>();
        long next = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 6) {
                // Mostly the next number; now and then one below the highest.
                long n = op < 5 || next == 0 ? next++ : random.nextInt((int) next);
                if (!expected.containsKey(n)) {
                    index.add(n, n * 3);
                    expected.put(n, n * 3);
                }
            } else if (op < 9 && !expected.isEmpty()) {
                // Mostly the oldest, as a ring forgets.
                long n = op < 8 ? expected.firstKey() : random.nextInt((int) next);
                index.remove(n);
                expected.remove(n);
            } else {
                long n = random.nextInt((int) next + 1);
                int at = index.find(n);
                assertEquals(expected.containsKey(n), at >= 0, "number " + n);
                if (at >= 0) {
                    assertEquals(expected.get(n), index.time(at));
                }
            }
            assertEquals(expected.size(), index.size());
        }
        for (long n : expected.keySet()) {
            assertTrue(index.find(n) >= 0);
        }
    }

    @Test
    void recordsOfEqualSeriesShareTheFirstObjectAndADifferentSeriesIsKeptFromThenOn() {
        PeerKey friend = PeerKey.of(new byte[32]);
        SeriesIndex index = new SeriesIndex();
        NumberedSeries first = new NumberedSeries("d:f/1/", Conversation.direct(friend, "bob"),
                false, "bob", friend);
        NumberedSeries equal = new NumberedSeries("d:f/1/", Conversation.direct(friend, "bob"),
                false, "bob", friend);
        NumberedSeries renamed = new NumberedSeries("d:f/1/",
                Conversation.direct(friend, "robert"), false, "robert", friend);
        assertSame(first, index.share(first));
        assertSame(first, index.share(equal), "one object for equal series");
        assertSame(renamed, index.share(renamed), "a different one is not made equal");
        assertSame(renamed, index.share(renamed));
    }
}
