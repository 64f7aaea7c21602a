package org.p2pchat.core.internal.observe;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.p2pchat.api.ConnectionClosedException;

/**
 * The counters of one link: what it sent, received and acknowledged, how long acknowledgements
 * took, how long the friend's window held messages back, and its connections.
 *
 * <p><b>Threading.</b> The counters come in three groups by who writes them. The sending ones
 * (sent, resent, DATA frames out, ACKs in, acknowledged, delays, stalls) are written with the
 * link's lock held, the receiving ones (received, DATA frames in, ACKs out) with the inflow's
 * lock held, so that each group has one writer at a time and an increment is a plain add: no
 * lock, CAS or fence of its own. The connection ones are rare and atomic. Every write is opaque
 * and so is every read: {@link #read} may run on any thread without a lock, sees each value
 * whole and never one older than a value it saw before, but may see one group's latest writes
 * before another's. The groups sit 128 bytes apart so that the sending and the receiving thread
 * do not share a cache line.
 */
public final class LinkCounters {
    // Sending; the link's lock.
    static final int SENT = 0;
    static final int SENT_BYTES = 1;
    static final int RESENT = 2;
    static final int DATA_SENT = 3;
    static final int ACKS_RECEIVED = 4;
    static final int ACKNOWLEDGED = 5;
    static final int ACK_SAMPLES = 6;
    static final int ACK_DELAY_SUM = 7;
    static final int ACK_DELAY_LAST = 8;
    static final int ACK_DELAY_SMOOTHED = 9;
    /** The node's ticker when the latest sample was taken: a total shows the latest one's. */
    static final int ACK_LAST_AT = 10;
    static final int STALLS = 11;
    static final int STALL_NANOS = 12;
    // Receiving; the inflow's lock.
    static final int RECEIVED = 16;
    static final int RECEIVED_BYTES = 17;
    static final int DATA_RECEIVED = 18;
    static final int ACKS_SENT = 19;
    // Connections; atomic.
    static final int OPENED = 32;
    static final int CLOSED = 33;
    static final int SIZE = CLOSED + ConnectionClosedException.Reason.values().length;

    private final AtomicLongArray values = new AtomicLongArray(SIZE);
    private final AtomicBoolean retired = new AtomicBoolean();

    /** One writer at a time (see the class comment): a plain add, published opaquely. */
    private void add(int index, long n) {
        values.setOpaque(index, values.getPlain(index) + n);
    }

    /**
     * A DATA frame was written. The link's lock held.
     *
     * @param fresh the messages in it written for the first time
     * @param freshBytes their payload bytes
     * @param resent the messages in it written before, on an earlier connection
     */
    public void sent(int fresh, long freshBytes, int resent) {
        add(SENT, fresh);
        add(SENT_BYTES, freshBytes);
        add(RESENT, resent);
        add(DATA_SENT, 1);
    }

    /**
     * An ACK arrived. The link's lock held.
     *
     * @param messages the messages it acknowledged
     * @param delayNanos how long after the newest of them was written on this connection it
     *     came; negative if it covered none written there (no sample)
     * @param now the node's ticker now
     */
    public void acknowledged(int messages, long delayNanos, long now) {
        add(ACKS_RECEIVED, 1);
        add(ACKNOWLEDGED, messages);
        if (delayNanos < 0) {
            return;
        }
        long samples = values.getPlain(ACK_SAMPLES);
        long smoothed = values.getPlain(ACK_DELAY_SMOOTHED);
        // RFC 6298's SRTT gain of 1/8: steady under jitter, and it follows a lasting change.
        values.setOpaque(ACK_DELAY_SMOOTHED,
                samples == 0 ? delayNanos : smoothed + (delayNanos - smoothed) / 8);
        values.setOpaque(ACK_DELAY_LAST, delayNanos);
        values.setOpaque(ACK_LAST_AT, now);
        add(ACK_DELAY_SUM, delayNanos);
        add(ACK_SAMPLES, 1);
    }

    /**
     * Messages waited this long because the friend's window was full. The link's lock held.
     *
     * @param nanos how long
     */
    public void stalled(long nanos) {
        add(STALLS, 1);
        add(STALL_NANOS, nanos);
    }

    /** A DATA frame arrived. The inflow's lock held. */
    public void dataReceived() {
        add(DATA_RECEIVED, 1);
    }

    /**
     * A new message arrived. The inflow's lock held.
     *
     * @param bytes its payload bytes
     */
    public void received(long bytes) {
        add(RECEIVED, 1);
        add(RECEIVED_BYTES, bytes);
    }

    /** An ACK was written. The inflow's lock held. */
    public void ackSent() {
        add(ACKS_SENT, 1);
    }

    /** A connection completed its handshake and joined the link. Any thread. */
    public void opened() {
        values.getAndIncrement(OPENED);
    }

    /**
     * One of the link's connections closed. Any thread.
     *
     * @param reason why
     */
    public void closed(ConnectionClosedException.Reason reason) {
        values.getAndIncrement(CLOSED + reason.ordinal());
    }

    /**
     * Reads every counter. Any thread, no lock.
     *
     * @return the values
     */
    public Counts read() {
        long[] v = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            v[i] = values.getOpaque(i);
        }
        return new Counts(v);
    }

    /**
     * Marks these counters as those of a link its node forgot, once.
     *
     * @return true the first time: the caller keeps what they counted
     */
    public boolean retire() {
        return retired.compareAndSet(false, true);
    }
}
