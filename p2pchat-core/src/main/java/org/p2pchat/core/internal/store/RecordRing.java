package org.p2pchat.core.internal.store;

import java.time.Instant;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;

/**
 * One conversation's history records in their order (time sent, then id), oldest first, in a
 * circular array. Records nearly always arrive in that order, so adding one is an append and
 * dropping the oldest a step of the head: neither allocates (but for the array's growth), where a
 * sorted tree would allocate a node and a key for every message. A record out of order (a clock
 * that stepped back, a room message signed earlier) is inserted in place by binary search.
 *
 * <p>A record's state is kept beside it, so that a sent message's change of state (pending, then
 * delivered) changes a slot instead of making a new record; {@link #get} returns the record with
 * its current state.
 *
 * <p>Not thread-safe: the {@link MemoryStore}'s lock guards it.
 */
final class RecordRing {
    private HistoryRecord[] slots = new HistoryRecord[8];
    private DeliveryState[] states = new DeliveryState[8];
    /**
     * Each record's time sent as nanoseconds since the epoch, so that a search reads one array
     * instead of two objects per step (a miss in the cache each, in a ring of ten thousand).
     */
    private long[] times = new long[8];
    private int head;
    private int size;
    /** The slot {@link #indexOf(HistoryRecord)} found last: state changes come in sending order. */
    private int lastFound = -1;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The record at an index, 0 the oldest, in its current state. */
    HistoryRecord get(int index) {
        int at = slot(index);
        HistoryRecord r = slots[at];
        return r.state() == states[at] ? r : r.withState(states[at]);
    }

    private int slot(int index) {
        return (head + index) & (slots.length - 1);
    }

    /** Changes the state of the record at an index. */
    void state(int index, DeliveryState state) {
        states[slot(index)] = state;
    }

    private void set(int index, HistoryRecord r, DeliveryState state, long time) {
        int at = slot(index);
        slots[at] = r;
        states[at] = state;
        times[at] = time;
    }

    private void move(int from, int to) {
        int f = slot(from);
        set(to, slots[f], states[f], times[f]);
    }

    HistoryRecord last() {
        return get(size - 1);
    }

    /** Removes the oldest record, returning it as it was added. */
    HistoryRecord pollFirst() {
        HistoryRecord r = slots[head];
        slots[head] = null;
        states[head] = null;
        head = (head + 1) & (slots.length - 1);
        size--;
        return r;
    }

    /** Adds a record at its place; after any with the same place. */
    void add(HistoryRecord r) {
        if (size == slots.length) {
            grow();
        }
        long time = nanos(r.sentAt());
        if (size == 0 || compare(size - 1, time, r.sentAt(), r.messageId()) <= 0) {
            set(size++, r, r.state(), time);
            return;
        }
        int at = firstAfter(time, r.sentAt(), r.messageId());
        for (int i = size; i > at; i--) {
            move(i - 1, i);
        }
        set(at, r, r.state(), time);
        size++;
    }

    /**
     * The index of this very record (as added), or -1: first just after the last one found, as
     * the state changes of a sender's messages follow their order, then by its place.
     */
    int indexOf(HistoryRecord r) {
        int guess = (lastFound + 1) & (slots.length - 1);
        if (lastFound >= 0 && slots[guess] == r) {
            lastFound = guess;
            return (guess - head) & (slots.length - 1);
        }
        int at = indexOf(r.sentAt(), r.messageId());
        if (at >= 0) {
            lastFound = slot(at);
        }
        return at;
    }

    /**
     * The index of the record with this id if it is the one just after the last one found, as
     * when a sender's messages are delivered in order; else -1 (look it up by its place).
     */
    int indexOfNext(String messageId) {
        if (lastFound < 0) {
            return -1;
        }
        int guess = (lastFound + 1) & (slots.length - 1);
        HistoryRecord r = slots[guess];
        if (r == null || !r.messageId().equals(messageId)) {
            return -1;
        }
        lastFound = guess;
        return (guess - head) & (slots.length - 1);
    }

    /** The index of a record with this place, or -1. */
    int indexOf(Instant sentAt, String messageId) {
        int at = firstAtOrAfter(sentAt, messageId);
        return at < size && compare(at, nanos(sentAt), sentAt, messageId) == 0 ? at : -1;
    }

    /** Removes the record at an index. */
    void remove(int index) {
        for (int i = index; i < size - 1; i++) {
            move(i + 1, i);
        }
        set(--size, null, null, 0);
    }

    /** The index of the first record whose place is at or after this one (size if none). */
    int firstAtOrAfter(Instant sentAt, String messageId) {
        long time = nanos(sentAt);
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, time, sentAt, messageId) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int firstAfter(long time, Instant sentAt, String messageId) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, time, sentAt, messageId) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The record at an index against a place: by time sent, then by id. */
    private int compare(int index, long time, Instant sentAt, String messageId) {
        int at = slot(index);
        int c = Long.compare(times[at], time);
        if (c != 0) {
            return c;
        }
        // The same nanosecond, or both beyond what a long counts (clamped): the objects decide.
        HistoryRecord r = slots[at];
        c = r.sentAt().compareTo(sentAt);
        return c != 0 ? c : r.messageId().compareTo(messageId);
    }

    /** Nanoseconds since the epoch, clamped (a signed room time may be anything). */
    private static long nanos(Instant t) {
        long s = t.getEpochSecond();
        if (s >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (s <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return s * 1_000_000_000L + t.getNano();
    }

    private void grow() {
        int n = slots.length * 2;
        HistoryRecord[] bigger = new HistoryRecord[n];
        DeliveryState[] biggerStates = new DeliveryState[n];
        long[] biggerTimes = new long[n];
        for (int i = 0; i < size; i++) {
            int at = slot(i);
            bigger[i] = slots[at];
            biggerStates[i] = states[at];
            biggerTimes[i] = times[at];
        }
        slots = bigger;
        states = biggerStates;
        times = biggerTimes;
        head = 0;
        lastFound = -1;
    }
}
