package org.p2pchat.core.internal.delivery;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the messages received and not yet finished with by the listener may hold of this peer's
 * memory, for the whole node and for all strangers together, counted by what each message really
 * costs on the heap ({@link #cost}: its text as a Java string, the message object, its place in the
 * listener's queue), not by its bytes on the wire. Each message is reserved before its string is
 * made; a sender that would go beyond the budget has its connection cut (it sends the message
 * again on a new connection, so an honest one loses nothing), and windows are granted within
 * what is left ({@link #grantableUnits}), so honest senders rarely get that far.
 *
 * <p>Strangers (peers not in the directory) share a quarter of the budget: however many of them
 * come, friends keep three quarters. Thread-safe, lock-free.
 */
public final class MemoryBudget {
    /**
     * The heap a held message takes beyond its text: the String and its array headers, the
     * ChatMessage, its Instant, the task that calls the listener, and its queue slot (about 130
     * bytes, measured; rounded up).
     */
    static final int PER_MESSAGE_COST = 144;
    /**
     * The most heap per window unit (a message's UTF-8 bytes + 32): 4.5 for an empty message, less
     * for longer ones. Grants in units are the budget divided by it.
     */
    private static final double MAX_COST_PER_UNIT =
            (double) PER_MESSAGE_COST / MessageFrames.MESSAGE_OVERHEAD;

    private final long limit;
    private final long strangersLimit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong strangersUsed = new AtomicLong();

    /**
     * Creates a budget.
     *
     * @param limit the most bytes all held messages may take
     */
    public MemoryBudget(long limit) {
        this.limit = limit;
        this.strangersLimit = limit / 4;
    }

    /**
     * The heap a message of {@code utf8Length} bytes takes while it waits for the listener: its
     * text takes at most two bytes a UTF-8 byte as a Java string.
     */
    static long cost(int utf8Length) {
        return PER_MESSAGE_COST + 2L * utf8Length;
    }

    /**
     * Reserves a message's cost, if it fits.
     *
     * @param cost what {@link #cost} says
     * @param stranger whether the sender is a stranger
     * @return false if it would go beyond the budget (nothing is reserved then)
     */
    boolean reserve(long cost, boolean stranger) {
        if (stranger && !take(strangersUsed, strangersLimit, cost)) {
            return false;
        }
        if (!take(used, limit, cost)) {
            if (stranger) {
                strangersUsed.addAndGet(-cost);
            }
            return false;
        }
        return true;
    }

    private static boolean take(AtomicLong counter, long max, long amount) {
        while (true) {
            long now = counter.get();
            if (now + amount > max) {
                return false;
            }
            if (counter.compareAndSet(now, now + amount)) {
                return true;
            }
        }
    }

    /**
     * Gives back what {@link #reserve} took.
     *
     * @param cost the same cost
     * @param stranger the same sender kind
     */
    void release(long cost, boolean stranger) {
        used.addAndGet(-cost);
        if (stranger) {
            strangersUsed.addAndGet(-cost);
        }
    }

    /**
     * The window units a sender may be granted now so that even messages of the costliest kind
     * (empty ones) fit in what is left.
     *
     * @param stranger whether the sender is a stranger
     * @return the units
     */
    long grantableUnits(boolean stranger) {
        long free = limit - used.get();
        if (stranger) {
            free = Math.min(free, strangersLimit - strangersUsed.get());
        }
        return Math.max(0, (long) (free / MAX_COST_PER_UNIT));
    }

    /** For tests and diagnostics: the bytes held now. */
    public long used() {
        return used.get();
    }

    /** The most bytes all held messages may take. */
    long limit() {
        return limit;
    }
}
