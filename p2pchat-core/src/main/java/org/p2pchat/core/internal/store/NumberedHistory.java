package org.p2pchat.core.internal.store;

import org.p2pchat.api.DeliveryState;

/**
 * A store that keeps the history records of a {@link NumberedSeries} without an object, an id
 * string or an index entry made for each: the direct message path records every message on both
 * sides, millions a second, and the records are read rarely. What is read is the same as if the
 * records had been written as {@link org.p2pchat.api.HistoryRecord}s with the series' ids; a
 * record of an id already stored replaces it, however either was written.
 *
 * <p>Only for a store that is not durable ({@link org.p2pchat.spi.MessageStore#isDurable}): the
 * outbox entries and receive records that a durable store writes with the history go in
 * {@link org.p2pchat.spi.StoreWrite}s. Thread-safe, as the store it belongs to; each call is
 * applied before it returns.
 */
public interface NumberedHistory {
    /** Records received, as the caller holds them: read during the call only. */
    interface Texts {
        /** The number of record {@code i} in its series. */
        long number(int i);

        /** The text of record {@code i}. */
        String text(int i);
    }

    /**
     * Adds a record this peer sent, pending.
     *
     * @param series its series (outgoing)
     * @param number its number there
     * @param text its text
     * @param sentAt when it was sent, as nanoseconds since the epoch
     * @return false if the store is closed, and kept nothing
     */
    boolean sent(NumberedSeries series, long number, String text, long sentAt);

    /**
     * Adds records received, each a nanosecond after the one before: record {@code i}, for
     * {@code from <= i < to}, at {@code firstAt + i}.
     *
     * @param series their series (incoming)
     * @param texts the records
     * @param from the first record's index
     * @param to the index after the last
     * @param firstAt when record 0 was received, as nanoseconds since the epoch
     * @return false if the store is closed, and kept nothing
     */
    boolean received(NumberedSeries series, Texts texts, int from, int to, long firstAt);

    /**
     * Changes the state of a record (nothing if there is none).
     *
     * @param series its series
     * @param number its number there
     * @param sentAt when it was sent, as it was added
     * @param state its new state
     */
    void state(NumberedSeries series, long number, long sentAt, DeliveryState state);

    /** Records of one series whose state changes together, by their numbers and times sent. */
    interface Settled {
        /** How many records there are. */
        int size();

        /** The number of record {@code i} in its series. */
        long number(int i);

        /** When record {@code i} was sent, as it was added. */
        long sentAt(int i);
    }

    /**
     * Changes the state of records of one series, each as {@link #state} would, in one go: an
     * acknowledgement settles thousands of messages at once, and the sender adds the next ones
     * meanwhile, so one lock for them all rather than one each.
     *
     * @param series their series
     * @param records the records
     * @param state their new state
     */
    void states(NumberedSeries series, Settled records, DeliveryState state);
}
