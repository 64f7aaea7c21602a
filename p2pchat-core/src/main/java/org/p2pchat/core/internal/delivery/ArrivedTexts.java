package org.p2pchat.core.internal.delivery;

import java.util.Arrays;

/**
 * The new text messages of one DATA frame, as its {@link Inflow} hands them on together: so that
 * the store records a frame's messages in one write and the listener's thread is woken once per
 * frame, not once per message. At most {@link #CAPACITY} at a time: a frame of more tiny
 * messages is handed on in parts of that many, so that the arrays never grow past it and are
 * kept from frame to frame (a frame of 64-byte messages holds hundreds).
 *
 * <p>Reused from frame to frame: a {@link Inflow.Delivery} reads it during the call it is given
 * in and keeps nothing of it but what it copies. Not thread-safe: its inflow's lock guards it.
 */
public final class ArrivedTexts {
    /** The most messages held at once. */
    static final int CAPACITY = 64;

    private String[] texts = new String[16];
    private long[] numbers = new long[16 * 4];
    private int size;

    /** How many messages there are. */
    public int size() {
        return size;
    }

    /** The text of message {@code i}. */
    public String text(int i) {
        return texts[i];
    }

    /** The epoch of the sender's process that first sent message {@code i}. */
    public long firstEpoch(int i) {
        return numbers[4 * i];
    }

    /**
     * The number message {@code i} had in that process (for one sent again from a durable outbox,
     * not the number it came with now).
     */
    public long firstSeq(int i) {
        return numbers[4 * i + 1];
    }

    /** The number message {@code i} came with. */
    public long seq(int i) {
        return numbers[4 * i + 2];
    }

    /** What message {@code i} counts against the window; pass it back to {@link Inflow#consumed}. */
    public long units(int i) {
        return numbers[4 * i + 3];
    }

    /**
     * The highest first number held of an earlier process of the sender, or 0: what its ledger
     * will say once these are handed on.
     */
    long highestFirstSeq(long firstEpoch) {
        long highest = 0;
        for (int i = 0; i < size; i++) {
            if (numbers[4 * i] == firstEpoch) {
                highest = Math.max(highest, numbers[4 * i + 1]);
            }
        }
        return highest;
    }

    /** Whether it holds {@link #CAPACITY} messages: hand them on before adding another. */
    boolean isFull() {
        return size == CAPACITY;
    }

    void add(String text, long firstEpoch, long firstSeq, long seq, long units) {
        if (size == CAPACITY) {
            throw new IllegalStateException("already holds " + CAPACITY + " messages");
        }
        if (size == texts.length) {
            // An idle link's inflow keeps 16; one that had a busy frame keeps 64.
            texts = Arrays.copyOf(texts, size * 2);
            numbers = Arrays.copyOf(numbers, size * 2 * 4);
        }
        texts[size] = text;
        int at = 4 * size;
        numbers[at] = firstEpoch;
        numbers[at + 1] = firstSeq;
        numbers[at + 2] = seq;
        numbers[at + 3] = units;
        size++;
    }

    void clear() {
        Arrays.fill(texts, 0, size, null);
        size = 0;
    }
}
