package org.p2pchat.core.internal.observe;

/**
 * What a link holds at one moment, read under its lock: its outbox, what is in flight against the
 * friend's window, and its open connections. Sizes are in the units of the outbox limit and the
 * window (payload bytes plus 32 a message). An immutable value; any thread.
 *
 * @param outboxMessages messages not acknowledged yet
 * @param outboxBytes their size
 * @param outboxLimitBytes the outbox limit
 * @param inFlightMessages messages written to the current connection and not acknowledged
 * @param inFlightBytes what they count against the window
 * @param grantedBytes the window granted on the current connection, 0 if none
 * @param openConnections connections open now
 */
public record Gauges(long outboxMessages, long outboxBytes, long outboxLimitBytes,
        long inFlightMessages, long inFlightBytes, long grantedBytes, long openConnections) {

    /** An empty link's. */
    public static final Gauges ZERO = new Gauges(0, 0, 0, 0, 0, 0, 0);

    /**
     * Adds two links' gauges.
     *
     * @param o the other
     * @return the sum
     */
    public Gauges plus(Gauges o) {
        return new Gauges(outboxMessages + o.outboxMessages, outboxBytes + o.outboxBytes,
                outboxLimitBytes + o.outboxLimitBytes, inFlightMessages + o.inFlightMessages,
                inFlightBytes + o.inFlightBytes, grantedBytes + o.grantedBytes,
                openConnections + o.openConnections);
    }
}
