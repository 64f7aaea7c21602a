package org.p2pchat.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.PeerKey;

/** A conversation's ring keeps its records in order however they arrive, and their states. */
class RecordRingTest {
    private static final PeerKey KEY = PeerKey.of(new byte[32]);
    private static final Conversation WITH = Conversation.direct(KEY, "bob");

    private static HistoryRecord record(String id, Instant at) {
        return new HistoryRecord(id, WITH, true, "me", KEY, "text " + id, at, null,
                DeliveryState.PENDING);
    }

    private static List<String> ids(RecordRing ring) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            ids.add(ring.get(i).messageId());
        }
        return ids;
    }

    @Test
    void recordsOutOfOrderAndPastTheEndsOfALongAreKeptByTimeThenId() {
        RecordRing ring = new RecordRing(WITH);
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        ring.add(record("c", t.plusNanos(2)));
        ring.add(record("a", t));
        ring.add(record("far", Instant.MAX));
        ring.add(record("b2", t.plusNanos(1)));
        ring.add(record("b1", t.plusNanos(1)));
        ring.add(record("old", Instant.MIN));
        ring.add(record("farther", Instant.MAX.minusSeconds(1)));

        assertEquals(List.of("old", "a", "b1", "b2", "c", "farther", "far"), ids(ring));
        assertEquals(2, ring.indexOf(t.plusNanos(1), "b1"));
        assertEquals(-1, ring.indexOf(t.plusNanos(1), "b3"));
        assertEquals(2, ring.firstAtOrAfter(t.plusNanos(1), "b"));
    }

    @Test
    void aStateChangeShowsInTheRecordReadAndTheOldestGoFirstAcrossGrowth() {
        RecordRing ring = new RecordRing(WITH);
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        Random random = new Random(7);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long n = random.nextInt(1_000_000);
            times.add(n);
            ring.add(record("m" + n + "-" + i, t.plusNanos(n)));
        }
        times.sort(null);
        for (int i = 0; i < ring.size(); i++) {
            assertEquals(t.plusNanos(times.get(i)), ring.get(i).sentAt(), "in order at " + i);
        }
        HistoryRecord third = ring.get(2);
        ring.state(ring.indexOf(third.sentAt(), third.messageId()), DeliveryState.DELIVERED);
        assertEquals(DeliveryState.DELIVERED, ring.get(2).state());
        assertEquals(third.withState(DeliveryState.DELIVERED), ring.get(2));

        assertEquals(t.plusNanos(times.get(0)), ring.get(0).sentAt());
        ring.removeFirst();
        assertEquals(99, ring.size());
        ring.remove(0);
        assertEquals(DeliveryState.DELIVERED, ring.get(0).state(), "the state moves with it");
    }

    @Test
    void theRecordAfterTheLastOneFoundIsFoundByItsIdAndNoOtherIs() {
        RecordRing ring = new RecordRing(WITH);
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        for (int i = 0; i < 20; i++) {
            ring.add(record("m" + i, t.plusNanos(i)));
        }
        assertEquals(-1, ring.indexOfNext("m0"), "nothing found yet");
        HistoryRecord fifth = ring.get(5);
        assertEquals(5, ring.indexOf(fifth));
        assertEquals(6, ring.indexOfNext("m6"));
        assertEquals(7, ring.indexOfNext("m7"));
        assertEquals(-1, ring.indexOfNext("m9"), "not the next one");
        ring.removeFirst();
        assertEquals(7, ring.indexOfNext("m8"), "indexes move with the oldest gone");
        for (int i = 20; i < 40; i++) {
            ring.add(record("m" + i, t.plusNanos(i)));
        }
        assertEquals(-1, ring.indexOfNext("m9"), "growing forgets the place");
    }
}
