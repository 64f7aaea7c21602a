package org.p2pchat.core.internal.runtime;

import java.time.Instant;

/**
 * Times as nanoseconds since the epoch, the form the in-memory history keeps and compares them
 * in: a long, where an {@link Instant} is an object to make and two fields to compare. A long
 * counts about 292 years either side of 1970; times beyond (a signed room time may be anything)
 * are clamped, and the records keep their own {@link Instant}.
 */
public final class EpochNanos {
    private static final long NANOS = 1_000_000_000L;

    private EpochNanos() {
    }

    /**
     * An instant in nanoseconds since the epoch, clamped to what a long holds.
     *
     * @param t the instant
     * @return the nanoseconds
     */
    public static long of(Instant t) {
        long s = t.getEpochSecond();
        if (s >= Long.MAX_VALUE / NANOS) {
            return Long.MAX_VALUE;
        }
        if (s <= Long.MIN_VALUE / NANOS) {
            return Long.MIN_VALUE;
        }
        return s * NANOS + t.getNano();
    }

    /**
     * The clock now, in nanoseconds since the epoch, without keeping an {@link Instant}.
     *
     * @return the nanoseconds
     */
    public static long now() {
        return of(Instant.now());
    }

    /**
     * The instant of a time in nanoseconds since the epoch.
     *
     * @param nanos the nanoseconds
     * @return the instant
     */
    public static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
    }
}
