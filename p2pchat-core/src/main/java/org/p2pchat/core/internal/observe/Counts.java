package org.p2pchat.core.internal.observe;

import static org.p2pchat.core.internal.observe.LinkCounters.ACKNOWLEDGED;
import static org.p2pchat.core.internal.observe.LinkCounters.ACKS_RECEIVED;
import static org.p2pchat.core.internal.observe.LinkCounters.ACKS_SENT;
import static org.p2pchat.core.internal.observe.LinkCounters.ACK_DELAY_LAST;
import static org.p2pchat.core.internal.observe.LinkCounters.ACK_DELAY_SMOOTHED;
import static org.p2pchat.core.internal.observe.LinkCounters.ACK_DELAY_SUM;
import static org.p2pchat.core.internal.observe.LinkCounters.ACK_LAST_AT;
import static org.p2pchat.core.internal.observe.LinkCounters.ACK_SAMPLES;
import static org.p2pchat.core.internal.observe.LinkCounters.CLOSED;
import static org.p2pchat.core.internal.observe.LinkCounters.DATA_RECEIVED;
import static org.p2pchat.core.internal.observe.LinkCounters.DATA_SENT;
import static org.p2pchat.core.internal.observe.LinkCounters.OPENED;
import static org.p2pchat.core.internal.observe.LinkCounters.RECEIVED;
import static org.p2pchat.core.internal.observe.LinkCounters.RECEIVED_BYTES;
import static org.p2pchat.core.internal.observe.LinkCounters.RESENT;
import static org.p2pchat.core.internal.observe.LinkCounters.SENT;
import static org.p2pchat.core.internal.observe.LinkCounters.SENT_BYTES;
import static org.p2pchat.core.internal.observe.LinkCounters.SIZE;
import static org.p2pchat.core.internal.observe.LinkCounters.STALLS;
import static org.p2pchat.core.internal.observe.LinkCounters.STALL_NANOS;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.LinkStats;

/**
 * The values {@link LinkCounters#read} found, or the sum of several links'. An immutable value;
 * any thread.
 */
public final class Counts {
    /** Nothing counted. */
    public static final Counts ZERO = new Counts(new long[SIZE]);

    private final long[] values;

    Counts(long[] values) {
        this.values = values;
    }

    /**
     * Adds two links' counts. The latest and smoothed acknowledgement delays are not sums: the
     * total shows those of the link sampled last.
     *
     * @param other the other counts
     * @return the sum
     */
    public Counts plus(Counts other) {
        long[] sum = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            sum[i] = values[i] + other.values[i];
        }
        Counts latest = other.values[ACK_SAMPLES] == 0 ? this : values[ACK_SAMPLES] == 0 ? other
                : other.values[ACK_LAST_AT] - values[ACK_LAST_AT] > 0 ? other : this;
        sum[ACK_DELAY_LAST] = latest.values[ACK_DELAY_LAST];
        sum[ACK_DELAY_SMOOTHED] = latest.values[ACK_DELAY_SMOOTHED];
        sum[ACK_LAST_AT] = latest.values[ACK_LAST_AT];
        return new Counts(sum);
    }

    LinkStats.Messages messages() {
        return new LinkStats.Messages(values[SENT], values[SENT_BYTES], values[RESENT],
                values[ACKNOWLEDGED], values[RECEIVED], values[RECEIVED_BYTES]);
    }

    LinkStats.Frames frames() {
        return new LinkStats.Frames(values[DATA_SENT], values[DATA_RECEIVED], values[ACKS_SENT],
                values[ACKS_RECEIVED]);
    }

    LinkStats.AckDelay ackDelay() {
        long samples = values[ACK_SAMPLES];
        return new LinkStats.AckDelay(samples, Duration.ofNanos(values[ACK_DELAY_LAST]),
                Duration.ofNanos(values[ACK_DELAY_SMOOTHED]),
                Duration.ofNanos(samples == 0 ? 0 : values[ACK_DELAY_SUM] / samples));
    }

    long stalls() {
        return values[STALLS];
    }

    Duration stalledTime() {
        return Duration.ofNanos(values[STALL_NANOS]);
    }

    long opened() {
        return values[OPENED];
    }

    Map<Reason, Long> closed() {
        Map<Reason, Long> closed = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            closed.put(r, values[CLOSED + r.ordinal()]);
        }
        return closed;
    }
}
