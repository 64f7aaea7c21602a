package org.p2pchat.core.internal.delivery;

import java.time.Instant;
import org.p2pchat.core.internal.runtime.EpochNanos;

/**
 * A direct text message as its sender's store knows it: the id of its history record and the
 * number it keeps in the store's outbox, which is the number the process that first sent it
 * gave it (a message restored from the outbox by a later process travels with that number, so
 * that the friend recognises it; see {@link MessageFrames#KIND_TEXT_AGAIN}).
 *
 * <p>Not thread-safe: its {@link FriendLink}'s lock guards it.
 */
public final class TrackedText {
    /** Its id: given, or made from {@link #idPrefix} and {@link #idNumber} when first asked. */
    private String messageId;
    private final String idPrefix;
    private final long idNumber;
    /** Its history record's time sent, in nanoseconds since the epoch, once it has one. */
    private long recordedAt;
    private final long epoch;
    private final boolean restored;
    private final byte[] text;
    /** The text as a string: given by the sender, or decoded when first asked for. */
    private String decoded;
    /** Given, or made from {@link #queuedAt} and {@link #timeout} when first asked. */
    private Instant deadline;
    private final java.time.Duration timeout;
    /** In nanoseconds since the epoch, or 0 if not known: a long, not an object per send. */
    private long queuedAt;
    private long seq;
    private boolean recorded;

    /**
     * Creates the record of a message.
     *
     * @param messageId its history record's id
     * @param epoch the epoch of the process that numbers it first
     * @param seq its number there; for a new message, set when it is queued
     * @param text its UTF-8 text
     * @param deadline when its delivery timeout passes
     * @param restored whether it comes from the outbox of an earlier process (its number is fixed
     *     and recorded already)
     */
    public TrackedText(String messageId, long epoch, long seq, byte[] text, Instant deadline,
            boolean restored) {
        this(messageId, null, -1, epoch, seq, text, deadline, null, restored);
    }

    /**
     * Creates the record of a new message whose id is a prefix and a number: the id is made
     * only if asked for (the in-memory store keeps the two as they are).
     *
     * @param idPrefix the id's prefix, ending in a non-digit
     * @param idNumber the id's number
     * @param epoch the epoch of the process that numbers it first
     * @param text its UTF-8 text
     * @param queuedAt when it was queued, in nanoseconds since the epoch
     * @param timeout its delivery timeout, from then
     * @return the record
     */
    public static TrackedText numbered(String idPrefix, long idNumber, long epoch, byte[] text,
            long queuedAt, java.time.Duration timeout) {
        TrackedText t = new TrackedText(null, idPrefix, idNumber, epoch, 0, text, null, timeout,
                false);
        t.queuedAt = queuedAt;
        return t;
    }

    private TrackedText(String messageId, String idPrefix, long idNumber, long epoch, long seq,
            byte[] text, Instant deadline, java.time.Duration timeout, boolean restored) {
        this.messageId = messageId;
        this.idPrefix = idPrefix;
        this.idNumber = idNumber;
        this.epoch = epoch;
        this.seq = seq;
        this.text = text;
        this.deadline = deadline;
        this.timeout = timeout;
        this.restored = restored;
        this.recorded = restored;
    }

    public String messageId() {
        String id = messageId;
        if (id == null) {
            id = idPrefix + idNumber;
            messageId = id;
        }
        return id;
    }

    /** Its id's prefix, or null if its id was given whole. */
    public String idPrefix() {
        return idPrefix;
    }

    /** Its id's number, with {@link #idPrefix}. */
    public long idNumber() {
        return idNumber;
    }

    /** Its history record's time sent, in nanoseconds since the epoch (0 before it has one). */
    public long recordedAt() {
        return recordedAt;
    }

    /** Sets {@link #recordedAt}, as its history record is written. */
    public void recordedAt(long nanos) {
        recordedAt = nanos;
    }

    public long epoch() {
        return epoch;
    }

    public long seq() {
        return seq;
    }

    /**
     * Gives the text as a string, which the sender had before it encoded it: the history then
     * need not decode it again.
     *
     * @param string the text, or null
     * @return this record
     */
    public TrackedText withString(String string) {
        decoded = string;
        return this;
    }

    /** The text as a string. */
    public String string() {
        String s = decoded;
        if (s == null) {
            s = new String(text, java.nio.charset.StandardCharsets.UTF_8);
            decoded = s;
        }
        return s;
    }

    /** The UTF-8 text (not a copy: never change it). */
    public byte[] text() {
        return text;
    }

    /** When its delivery timeout passes. */
    public Instant deadline() {
        Instant d = deadline;
        if (d == null) {
            // Made when asked (a durable outbox entry, a restore): not an object per send.
            d = EpochNanos.instant(queuedAt).plus(timeout);
            deadline = d;
        }
        return d;
    }

    /**
     * When this process queued it (its history record's time sent), in nanoseconds since the
     * epoch, or 0 if it is not known (a message restored from the store's outbox).
     */
    public long queuedAt() {
        return queuedAt;
    }

    void queuedAt(long nanos) {
        queuedAt = nanos;
    }


    public boolean restored() {
        return restored;
    }

    boolean recorded() {
        return recorded;
    }

    void markRecorded() {
        recorded = true;
    }

    /** A new message's number, set when it is queued and moved if its outbox renumbers. */
    void numbered(long number) {
        if (!restored) {
            seq = number;
        }
    }
}
