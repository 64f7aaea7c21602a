package org.p2pchat.core.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between attempts to reconnect to a friend: the first attempt is immediate, then each
 * delay doubles from {@code initial} up to {@code max}, and each is drawn uniformly from its upper
 * half ("equal jitter"), so that peers cut off together do not all call back at the same instant
 * while none waits less than half its step. {@link #reset()} starts over after a success.
 *
 * <p>Not thread-safe: its {@link FriendLink} guards it.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final RandomGenerator random;
    private long failures;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = Math.max(initialNanos, max.toNanos());
        this.random = random;
    }

    /**
     * Returns how long to wait before the next attempt, and counts one more failure.
     *
     * @return the delay in nanoseconds; 0 for the first attempt
     */
    long nextDelayNanos() {
        long n = failures++;
        if (n == 0) {
            return 0;
        }
        long shift = n - 1;
        // A shift that would carry into the sign bit means the step is past any maximum.
        long step = shift >= Long.numberOfLeadingZeros(initialNanos) - 1 ? maxNanos
                : Math.min(maxNanos, initialNanos << (int) shift);
        long half = step / 2;
        return half + (half > 0 ? random.nextLong(step - half + 1) : 0);
    }

    /** How many attempts have failed since the last reset. */
    long failures() {
        return failures;
    }

    /** The friend answered: the next attempt after a loss is immediate again. */
    void reset() {
        failures = 0;
    }
}
