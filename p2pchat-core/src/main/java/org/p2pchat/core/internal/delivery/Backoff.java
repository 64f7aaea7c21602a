package org.p2pchat.core.internal.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between failed attempts of one kind to reach a friend: the delay after the first failure
 * is drawn from a step of {@code initial}, and each further failure doubles the step up to
 * {@code max}. Each delay is drawn uniformly from the upper half of its step ("equal jitter"), so
 * that peers cut off together do not all call back at the same instant while none waits less
 * than half its step. {@link #reset()} starts over after a success. Whether an attempt waits at
 * all is its {@link Redial}'s decision.
 *
 * <p>Not thread-safe: its {@link FriendLink}'s lock guards it.
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
     * Counts one more failure and returns how long to wait before the next attempt.
     *
     * @return the delay in nanoseconds, in the upper half of the current step
     */
    long nextDelayNanos() {
        long shift = failures++;
        // A shift that would carry into the sign bit means the step is past any maximum.
        long step = shift >= Long.numberOfLeadingZeros(initialNanos) - 1 ? maxNanos
                : Math.min(maxNanos, initialNanos << (int) shift);
        long half = step / 2;
        return half + (half > 0 ? random.nextLong(step - half + 1) : 0);
    }

    /** How many failures were counted since the last reset. */
    long failures() {
        return failures;
    }

    /** The friend answered: the next failure waits the shortest step again. */
    void reset() {
        failures = 0;
    }
}
