package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Delays after failed attempts: doubling steps from the initial delay, with equal jitter, capped. */
class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);

    /** Always draws the top (or the bottom) of the range it is asked for. */
    private static final class Extreme implements RandomGenerator {
        private final boolean top;

        Extreme(boolean top) {
            this.top = top;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("Backoff draws from a bounded range");
        }

        @Override
        public long nextLong(long bound) {
            assertTrue(bound > 0, "bound " + bound);
            return top ? bound - 1 : 0;
        }
    }

    /** The step of the delay after the {@code n}th failure (n ≥ 1), computed without overflow. */
    private static long step(Duration initial, Duration max, int n) {
        long cap = Math.max(initial.toNanos(), max.toNanos());
        long step = initial.toNanos();
        for (int i = 1; i < n && step < cap; i++) {
            step = step > cap / 2 ? cap : step * 2;
        }
        return step;
    }

    private static void assertInUpperHalf(long step, long delay, String what) {
        assertTrue(delay >= step / 2 && delay <= step,
                what + ": " + delay + " not in [" + step / 2 + ", " + step + "]");
    }

    @Test
    void theDelayAfterTheFirstFailureIsDrawnFromTheInitialStep() {
        Backoff b = new Backoff(INITIAL, MAX, new SplittableRandom(1));
        assertEquals(0, b.failures());
        assertInUpperHalf(INITIAL.toNanos(), b.nextDelayNanos(), "first delay");
        assertEquals(1, b.failures());
    }

    @Test
    void eachLaterDelayIsDrawnFromTheUpperHalfOfADoublingStep() {
        Backoff b = new Backoff(INITIAL, MAX, new SplittableRandom(20240601));
        for (int n = 1; n <= 40; n++) {
            assertInUpperHalf(step(INITIAL, MAX, n), b.nextDelayNanos(), "delay " + n);
        }
    }

    @Test
    void theStepStartsAtTheInitialDelayAndDoublesUntilTheMaximum() {
        Backoff top = new Backoff(INITIAL, MAX, new Extreme(true));
        long ms = 1_000_000;
        long[] expected = {100 * ms, 200 * ms, 400 * ms, 800 * ms, 1_600 * ms, 3_200 * ms,
            6_400 * ms, 10_000 * ms, 10_000 * ms, 10_000 * ms};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], top.nextDelayNanos(), "delay " + (i + 1));
        }
    }

    @Test
    void noDelayIsShorterThanHalfItsStep() {
        Backoff bottom = new Backoff(INITIAL, MAX, new Extreme(false));
        long ms = 1_000_000;
        long[] expected = {50 * ms, 100 * ms, 200 * ms, 400 * ms, 800 * ms, 1_600 * ms,
            3_200 * ms, 5_000 * ms, 5_000 * ms};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], bottom.nextDelayNanos(), "delay " + (i + 1));
        }
    }

    @Test
    void theJitterSpreadsDelaysOverTheRange() {
        // Not a statistical test: only that the draw is used at all, with a fixed seed.
        Backoff b = new Backoff(INITIAL, MAX, new SplittableRandom(3));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            b.reset();
            seen.add(b.nextDelayNanos());
        }
        assertTrue(seen.size() > 1, "20 first delays all equal: " + seen);
    }

    @Test
    void resetRestartsTheDoublingFromTheInitialStep() {
        Backoff b = new Backoff(INITIAL, MAX, new Extreme(true));
        for (int i = 0; i < 6; i++) {
            b.nextDelayNanos();
        }
        assertEquals(6, b.failures());

        b.reset();

        assertEquals(0, b.failures());
        assertEquals(INITIAL.toNanos(), b.nextDelayNanos());
        assertEquals(2 * INITIAL.toNanos(), b.nextDelayNanos());
    }

    @Test
    void aMaximumBelowTheInitialDelayIsRaisedToIt() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMillis(100), new Extreme(true));
        for (int i = 0; i < 5; i++) {
            assertEquals(Duration.ofSeconds(1).toNanos(), b.nextDelayNanos());
        }
    }

    @Test
    void aOneNanosecondStepHasNoRoomForJitter() {
        Backoff b = new Backoff(Duration.ofNanos(1), Duration.ofNanos(1), new SplittableRandom(5));
        for (int i = 0; i < 10; i++) {
            long d = b.nextDelayNanos();
            assertTrue(d == 0 || d == 1, "delay " + d);
        }
    }

    @Test
    void manyFailuresStayWithinTheUpperHalfOfTheMaximum() {
        Duration[][] configs = {
            {INITIAL, MAX},
            {Duration.ofMillis(1), Duration.ofHours(1)},
            {Duration.ofSeconds(1), Duration.ofDays(1)},
            {Duration.ofMillis(250), Duration.ofDays(365)},
            {Duration.ofNanos(1), Duration.ofMillis(10)},
        };
        for (Duration[] c : configs) {
            Backoff b = new Backoff(c[0], c[1], new SplittableRandom(c[1].toNanos()));
            long max = c[1].toNanos();
            for (int n = 1; n <= 100_000; n++) {
                long delay = b.nextDelayNanos();
                assertInUpperHalf(step(c[0], c[1], n), delay, c[0] + ".." + c[1] + " delay " + n);
                if (n >= 64) {
                    assertInUpperHalf(max, delay, c[0] + ".." + c[1] + " delay " + n);
                }
            }
            assertEquals(100_000, b.failures());
        }
    }

    @Test
    void theMaximumIsReachedAtTheTopOfTheRangeAfterManyFailures() {
        Backoff b = new Backoff(INITIAL, Duration.ofHours(1), new Extreme(true));
        for (int i = 0; i < 10_000; i++) {
            b.nextDelayNanos();
        }
        assertEquals(Duration.ofHours(1).toNanos(), b.nextDelayNanos());
    }

    @Test
    void theStepKeepsDoublingWhenTheMaximumIsMoreThan2To40TimesTheInitialDelay() {
        // 2 ns, the smallest step with room for jitter, and an hour: 1.8e12 times as long.
        Duration initial = Duration.ofNanos(2);
        Duration max = Duration.ofHours(1);
        Backoff b = new Backoff(initial, max, new Extreme(true));
        for (int n = 1; n <= 70; n++) {
            assertEquals(step(initial, max, n), b.nextDelayNanos(), "delay " + n);
        }
    }

    @Test
    void theStepNeverShrinksOnceItHasReachedTheMaximum() {
        // 10.74 s and 15.67 h: the step reaches max at the 14th delay; 34th: 14.19 h.
        Duration initial = Duration.ofNanos(10_737_424_189L);
        Duration max = Duration.ofNanos(56_414_666_505_109L);
        Backoff b = new Backoff(initial, max, new Extreme(true));
        for (int n = 1; n <= 70; n++) {
            assertEquals(step(initial, max, n), b.nextDelayNanos(), "delay " + n);
        }
    }
}
