package org.p2pchat.core.internal.observe;

import org.p2pchat.api.LinkStats;

/**
 * One link's counters and gauges as a snapshot read them, or the sum of several. An immutable
 * value; any thread.
 *
 * @param counts what the link counted
 * @param gauges what it held
 */
public record LinkSample(Counts counts, Gauges gauges) {

    /** Nothing counted, nothing held. */
    public static final LinkSample ZERO = new LinkSample(Counts.ZERO, Gauges.ZERO);

    /**
     * Adds two samples.
     *
     * @param other the other
     * @return the sum
     */
    public LinkSample plus(LinkSample other) {
        return new LinkSample(counts.plus(other.counts), gauges.plus(other.gauges));
    }

    /**
     * Returns the figures as the api shows them.
     *
     * @return the figures
     */
    public LinkStats stats() {
        return new LinkStats(counts.messages(), counts.frames(), counts.ackDelay(),
                new LinkStats.Outbox(gauges.outboxMessages(), gauges.outboxBytes(),
                        gauges.outboxLimitBytes()),
                new LinkStats.Window(gauges.inFlightMessages(), gauges.inFlightBytes(),
                        gauges.grantedBytes(), counts.stalls(), counts.stalledTime()),
                new LinkStats.Connections(gauges.openConnections(), counts.opened(),
                        counts.closed()));
    }
}
