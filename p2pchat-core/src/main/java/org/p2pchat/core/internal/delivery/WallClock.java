package org.p2pchat.core.internal.delivery;

import java.util.function.LongSupplier;

/**
 * The wall-clock time of a send, in nanoseconds since the epoch, from the node's monotonic
 * reading the send takes anyway: the system clock is read at most once per
 * {@link #RESYNC_NANOS} of monotonic time, and in between the time is that reading plus the
 * monotonic time passed. Reading the system clock costs about as much as the rest of queuing a
 * small message (tens of nanoseconds), and a history time needs no more than millisecond truth:
 * a time made this way is at most {@link #RESYNC_NANOS} plus the clocks' drift over it away from
 * the system clock's.
 *
 * <p>A monotonic reading that does not move forward (a test's ticker held still, or two sends in
 * one tick) reads the system clock again, so that a held ticker never holds the wall time.
 *
 * <p>Not thread-safe: its link's lock guards it.
 */
final class WallClock {
    /** How long a system clock reading is carried forward by the monotonic clock. */
    static final long RESYNC_NANOS = 1_000_000;

    private final LongSupplier system;
    private boolean synced;
    private long syncedTick;
    private long syncedWall;

    /** @param system the system clock, in nanoseconds since the epoch */
    WallClock(LongSupplier system) {
        this.system = system;
    }

    /**
     * The wall time at a monotonic reading.
     *
     * @param tick the node's monotonic reading now
     * @return nanoseconds since the epoch
     */
    long at(long tick) {
        long passed = tick - syncedTick;
        if (synced && passed > 0 && passed < RESYNC_NANOS) {
            return syncedWall + passed;
        }
        syncedWall = system.getAsLong();
        syncedTick = tick;
        synced = true;
        return syncedWall;
    }
}
