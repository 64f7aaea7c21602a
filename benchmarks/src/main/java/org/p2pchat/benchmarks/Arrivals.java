package org.p2pchat.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts messages as one receiving thread sees them, and lets one other thread wait until the
 * count reaches a target. The waiter parks rather than spins: on a 2-core machine a spinning
 * sender steals the CPU the receiver needs. The receiver unparks it only once the target is
 * reached, so a waiting sender costs the receiver one volatile read per message.
 *
 * <p>{@link #add} must be called by one thread at a time (a listener, whose calls never overlap);
 * {@link #awaitAtLeast} by one waiting thread at a time.
 */
final class Arrivals {
    /** A wait that sees no progress for this long fails instead of hanging the benchmark. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Upper bound of one park: a safety net only, the receiver normally unparks the waiter. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String what;
    private final AtomicLong count = new AtomicLong();
    /** The count the waiter wants; reset by the receiver once it has woken the waiter. */
    private final AtomicLong wakeAt = new AtomicLong(Long.MAX_VALUE);
    private volatile Thread waiter;

    /**
     * Creates a counter.
     *
     * @param what what is counted, for the message of a stalled wait
     */
    Arrivals(String what) {
        this.what = what;
    }

    /**
     * Counts arrivals; called by the receiving side, one call at a time.
     *
     * @param n how many arrived
     */
    void add(long n) {
        long c = count.get() + n;
        count.set(c); // a volatile store, ordered before the reads below (no lost wake-up)
        long target = wakeAt.get();
        // Wake the waiter once per wait, not for every message that arrives before it runs.
        if (c >= target && wakeAt.compareAndSet(target, Long.MAX_VALUE)) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * Returns the count so far.
     *
     * @return the number of arrivals
     */
    long get() {
        return count.get();
    }

    /**
     * Waits until the count reaches a target.
     *
     * @param target the count to wait for
     * @throws IllegalStateException if the count does not move for {@value #STALL_NANOS} ns
     *     (messages were lost, or a peer died), naming what was expected
     */
    void awaitAtLeast(long target) {
        if (count.get() >= target) {
            return;
        }
        waiter = Thread.currentThread();
        wakeAt.set(target);
        try {
            long seen = count.get();
            long progressAt = System.nanoTime();
            while (seen < target) {
                LockSupport.parkNanos(this, PARK_NANOS);
                long now = count.get();
                if (now != seen) {
                    seen = now;
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > STALL_NANOS) {
                    throw new IllegalStateException("stalled: " + what + " stuck at " + now
                            + " for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                            + " s while waiting for " + target);
                }
                if (Thread.interrupted()) {
                    throw new IllegalStateException("interrupted waiting for " + what);
                }
            }
        } finally {
            wakeAt.set(Long.MAX_VALUE);
            waiter = null;
        }
    }
}
