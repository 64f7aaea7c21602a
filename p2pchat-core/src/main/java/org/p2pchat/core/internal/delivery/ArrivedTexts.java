package org.p2pchat.core.internal.delivery;

import java.util.Arrays;

/**
 * The new text messages of one DATA frame, as its {@link Inflow} hands them on together: so that
 * the store records a frame's messages in one write and the listener's thread is woken once per
 * frame, not once per message.
 *
 * <p>Reused from frame to frame: a {@link Inflow.Delivery} reads it during the call it is given
 * in and keeps nothing of it but what it copies. Not thread-safe: its inflow's lock guards it.
 */
public final class ArrivedTexts {
    /** Slots kept between frames; a frame with more gets its own arrays. */
    private static final int RETAINED = 64;

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

    void add(String text, long firstEpoch, long firstSeq, long seq, long units) {
        if (size == texts.length) {
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
        if (texts.length > RETAINED) {
            // A frame of many tiny messages: its arrays go, an idle link keeps little.
            texts = new String[16];
            numbers = new long[16 * 4];
        } else {
            Arrays.fill(texts, 0, size, null);
        }
        size = 0;
    }
}
