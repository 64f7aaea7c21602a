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
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The record at an index, 0 the oldest, in its current state. */
    HistoryRecord get(int index) {
        int at = (head + index) & (slots.length - 1);
        HistoryRecord r = slots[at];
        return r.state() == states[at] ? r : r.withState(states[at]);
    }

    /** The record at an index as it was added (its state may have changed since). */
    private HistoryRecord added(int index) {
        return slots[(head + index) & (slots.length - 1)];
    }

    /** Changes the state of the record at an index. */
    void state(int index, DeliveryState state) {
        states[(head + index) & (slots.length - 1)] = state;
    }

    private void set(int index, HistoryRecord r, DeliveryState state) {
        int at = (head + index) & (slots.length - 1);
        slots[at] = r;
        states[at] = state;
    }

    private void move(int from, int to) {
        int f = (head + from) & (slots.length - 1);
        set(to, slots[f], states[f]);
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
        if (size == 0 || compare(added(size - 1), r.sentAt(), r.messageId()) <= 0) {
            set(size++, r, r.state());
            return;
        }
        int at = firstAfter(r.sentAt(), r.messageId());
        for (int i = size; i > at; i--) {
            move(i - 1, i);
        }
        set(at, r, r.state());
        size++;
    }

    /** The index of a record with this place, or -1. */
    int indexOf(Instant sentAt, String messageId) {
        int at = firstAtOrAfter(sentAt, messageId);
        return at < size && compare(added(at), sentAt, messageId) == 0 ? at : -1;
    }

    /** Removes the record at an index. */
    void remove(int index) {
        for (int i = index; i < size - 1; i++) {
            move(i + 1, i);
        }
        set(--size, null, null);
    }

    /** The index of the first record whose place is at or after this one (size if none). */
    int firstAtOrAfter(Instant sentAt, String messageId) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(added(mid), sentAt, messageId) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int firstAfter(Instant sentAt, String messageId) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(added(mid), sentAt, messageId) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int compare(HistoryRecord r, Instant sentAt, String messageId) {
        int c = r.sentAt().compareTo(sentAt);
        return c != 0 ? c : r.messageId().compareTo(messageId);
    }

    private void grow() {
        HistoryRecord[] bigger = new HistoryRecord[slots.length * 2];
        DeliveryState[] biggerStates = new DeliveryState[slots.length * 2];
        for (int i = 0; i < size; i++) {
            int at = (head + i) & (slots.length - 1);
            bigger[i] = slots[at];
            biggerStates[i] = states[at];
        }
        slots = bigger;
        states = biggerStates;
        head = 0;
    }
}
