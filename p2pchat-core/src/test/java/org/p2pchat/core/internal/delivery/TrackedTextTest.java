package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.internal.runtime.EpochNanos;

/** A tracked message's times, kept as nanoseconds, read back as the instants they were. */
class TrackedTextTest {
    @Test
    void theDeadlineIsTheTimeQueuedPlusTheTimeoutToTheNanosecond() {
        Instant queued = Instant.parse("2026-12-02T14:30:15.123456789Z");
        long nanos = queued.getEpochSecond() * 1_000_000_000L + queued.getNano();
        TrackedText t = TrackedText.numbered("d:me/1/s", 7, 1, new byte[0], nanos,
                Duration.ofSeconds(30));
        assertEquals(nanos, t.queuedAt());
        assertEquals(queued.plusSeconds(30), t.deadline());
        assertEquals("d:me/1/s7", t.messageId());
    }

    @Test
    void theClockReadsAsTheInstantClockToTheSameSecond() {
        Instant before = Instant.now();
        long now = EpochNanos.now();
        Instant after = Instant.now();
        Instant read = EpochNanos.instant(now);
        assertTrue(!read.isBefore(before.minusMillis(1)) && !read.isAfter(after.plusMillis(1)),
                read + " between " + before + " and " + after);
    }
}
