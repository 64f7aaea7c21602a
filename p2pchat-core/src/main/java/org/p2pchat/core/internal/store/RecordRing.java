package org.p2pchat.core.internal.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.core.internal.runtime.EpochNanos;

/**
 * One conversation's history records in their order (time sent, then id), oldest first, in a
 * circular array. Records nearly always arrive in that order, so adding one is an append and
 * dropping the oldest a step of the head: neither allocates (but for the array's growth), where a
 * sorted tree would allocate a node and a key for every message. A record out of order (a clock
 * that stepped back, a room message signed earlier) is inserted in place by binary search.
 *
 * <p>A slot holds either a {@link HistoryRecord} as written, or a record of a
 * {@link NumberedSeries} as its series, number and text (the record and its id are made when it
 * is read), with an {@link SeriesIndex} per series to find it by its number. A record's state is
 * kept beside it, so that a sent message's change of state (pending, then delivered) changes a
 * slot instead of making a new record; {@link #get} returns the record in its current state.
 *
 * <p>Not thread-safe: the {@link MemoryStore}'s lock guards it.
 */
final class RecordRing {
    /** The conversation, as its first record named it. */
    private final Conversation conversation;
    // Small to start with: an idle friend's conversation holds a record or two; a busy one
    // doubles its way up once.
    /** A {@link HistoryRecord}, or the text of a numbered record. */
    private Object[] items = new Object[2];
    /** A numbered record's series, or null. */
    private NumberedSeries[] series = new NumberedSeries[2];
    private long[] numbers = new long[2];
    private DeliveryState[] states = new DeliveryState[2];
    /**
     * Each record's time sent as nanoseconds since the epoch, so that a search reads one array
     * instead of two objects per step (a miss in the cache each, in a ring of ten thousand).
     */
    private long[] times = new long[2];
    private int head;
    private int size;
    /** The slot found last: state changes come in sending order. */
    private int lastFound = -1;
    /**
     * The numbered records' indexes, by series prefix: the first series' on its own, the others
     * in a map made with the second (most rings hold one or two series, an idle friend's ring a
     * record or two); the last one used is kept.
     */
    private String firstPrefix;
    private SeriesIndex firstIndex;
    private Map<String, SeriesIndex> others;
    private String lastPrefix;
    private SeriesIndex lastIndex;

    RecordRing(Conversation conversation) {
        this.conversation = conversation;
    }

    Conversation conversation() {
        return conversation;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The record at an index, 0 the oldest, in its current state. */
    HistoryRecord get(int index) {
        int at = slot(index);
        NumberedSeries s = series[at];
        if (s == null) {
            HistoryRecord r = (HistoryRecord) items[at];
            return r.state() == states[at] ? r : r.withState(states[at]);
        }
        Instant sentAt = instant(times[at]);
        return new HistoryRecord(s.id(numbers[at]), s.conversation(), s.outgoing(), s.sender(),
                s.senderKey(), (String) items[at], sentAt, s.receivedAt(sentAt), states[at]);
    }

    /** The record at an index as it was written, or null if it is a numbered one. */
    HistoryRecord written(int index) {
        return series[slot(index)] == null ? (HistoryRecord) items[slot(index)] : null;
    }

    /** The text of the record at an index. */
    String text(int index) {
        int at = slot(index);
        return series[at] == null ? ((HistoryRecord) items[at]).text() : (String) items[at];
    }

    /** What the record at an index takes, as {@link MemoryStore#cost} counts it. */
    long cost(int index) {
        int at = slot(index);
        return series[at] == null ? MemoryStore.cost((HistoryRecord) items[at])
                : MemoryStore.numberedCost((String) items[at]);
    }

    private int slot(int index) {
        return (head + index) & (items.length - 1);
    }

    /** Changes the state of the record at an index. */
    void state(int index, DeliveryState state) {
        states[slot(index)] = state;
    }

    private void set(int index, Object item, NumberedSeries s, long number, DeliveryState state,
            long time) {
        int at = slot(index);
        items[at] = item;
        series[at] = s;
        numbers[at] = number;
        states[at] = state;
        times[at] = time;
    }

    private void move(int from, int to) {
        int f = slot(from);
        set(to, items[f], series[f], numbers[f], states[f], times[f]);
    }

    HistoryRecord last() {
        return get(size - 1);
    }

    /**
     * Removes the oldest record.
     *
     * @return the prefix of a numbered series it was the last record of in the ring, or null
     */
    String removeFirst() {
        String emptied = unindex(head);
        items[head] = null;
        series[head] = null;
        states[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        return emptied;
    }

    /** Adds a record at its place; after any with the same place. */
    void add(HistoryRecord r) {
        long time = nanos(r.sentAt());
        int at = size == 0 || compare(size - 1, time, r.sentAt(), r.messageId()) <= 0 ? size
                : firstAfter(time, r.sentAt(), r.messageId());
        insert(at, r, null, 0, r.state(), time);
    }

    /**
     * Adds a numbered record at its place (after any with the same place); none of its id may be
     * in the ring.
     */
    void add(NumberedSeries s, long number, String text, DeliveryState state, long time) {
        int at;
        if (size == 0 || times[slot(size - 1)] < time) {
            at = size;
        } else {
            // A tie or out of order: rare, so the record's time and id may be made to compare.
            Instant sentAt = instant(time);
            String id = s.id(number);
            at = compare(size - 1, time, sentAt, id) <= 0 ? size : firstAfter(time, sentAt, id);
        }
        SeriesIndex index = seriesIndex(s.prefix(), true);
        insert(at, text, index.share(s), number, state, time);
        index.add(number, time);
    }

    private void insert(int at, Object item, NumberedSeries s, long number, DeliveryState state,
            long time) {
        if (size == items.length) {
            grow();
        }
        for (int i = size; i > at; i--) {
            move(i - 1, i);
        }
        set(at, item, s, number, state, time);
        size++;
    }

    /**
     * The index of this very record (as added), or -1: first just after the last one found, as
     * the state changes of a sender's messages follow their order, then by its place.
     */
    int indexOf(HistoryRecord r) {
        int guess = (lastFound + 1) & (items.length - 1);
        if (lastFound >= 0 && items[guess] == r) {
            lastFound = guess;
            return (guess - head) & (items.length - 1);
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
        int guess = (lastFound + 1) & (items.length - 1);
        if (series[guess] != null || !(items[guess] instanceof HistoryRecord r)
                || !r.messageId().equals(messageId)) {
            return -1;
        }
        lastFound = guess;
        return (guess - head) & (items.length - 1);
    }

    /**
     * The index of a numbered record, or -1: first just after the last one found, then by its
     * time sent.
     */
    int indexOf(NumberedSeries s, long number, long time) {
        int guess = (lastFound + 1) & (items.length - 1);
        if (lastFound >= 0 && is(guess, s, number)) {
            lastFound = guess;
            return (guess - head) & (items.length - 1);
        }
        if (size == 0 || time < times[head]) {
            // Older than the oldest kept: forgotten already, as when a sender runs far ahead of
            // its acknowledgements.
            return -1;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[slot(mid)] < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < size && times[slot(i)] == time; i++) {
            if (is(slot(i), s, number)) {
                lastFound = slot(i);
                return i;
            }
        }
        return -1;
    }

    private boolean is(int slot, NumberedSeries s, long number) {
        NumberedSeries in = series[slot];
        return in != null && numbers[slot] == number
                && (in == s || in.prefix().equals(s.prefix()));
    }

    /**
     * The index of the numbered record of this series prefix and number, or -1, through its
     * series' index.
     */
    int indexOfNumbered(String prefix, long number) {
        SeriesIndex index = seriesIndex(prefix, false);
        int found = index == null ? -1 : index.find(number);
        if (found < 0) {
            return -1;
        }
        long time = index.time(found);
        for (int i = firstAtOrAfterTime(time); i < size && times[slot(i)] == time; i++) {
            int at = slot(i);
            if (series[at] != null && numbers[at] == number && series[at].prefix().equals(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a numbered record of this series prefix and number is in the ring. */
    boolean holdsNumbered(String prefix, long number) {
        SeriesIndex index = seriesIndex(prefix, false);
        return index != null && index.find(number) >= 0;
    }

    /** The index of a record with this place, or -1. */
    int indexOf(Instant sentAt, String messageId) {
        int at = firstAtOrAfter(sentAt, messageId);
        return at < size && compare(at, nanos(sentAt), sentAt, messageId) == 0 ? at : -1;
    }

    /**
     * Removes the record at an index.
     *
     * @return the prefix of a numbered series it was the last record of in the ring, or null
     */
    String remove(int index) {
        String emptied = unindex(slot(index));
        for (int i = index; i < size - 1; i++) {
            move(i + 1, i);
        }
        set(--size, null, null, 0, null, 0);
        lastFound = -1;
        return emptied;
    }

    /**
     * A numbered record leaves its series' index; the index goes with its last one, and its
     * prefix is returned.
     */
    private String unindex(int slot) {
        NumberedSeries s = series[slot];
        if (s == null) {
            return null;
        }
        SeriesIndex index = seriesIndex(s.prefix(), false);
        index.remove(numbers[slot]);
        if (!index.isEmpty()) {
            return null;
        }
        if (index == firstIndex) {
            firstPrefix = null;
            firstIndex = null;
        } else {
            others.remove(s.prefix());
        }
        lastPrefix = null;
        lastIndex = null;
        return s.prefix();
    }

    /** Whether the ring holds numbered records of a series prefix. */
    boolean holdsSeries(String prefix) {
        return seriesIndex(prefix, false) != null;
    }

    private SeriesIndex seriesIndex(String prefix, boolean make) {
        if (prefix == lastPrefix) {
            return lastIndex;
        }
        SeriesIndex index = firstPrefix != null && firstPrefix.equals(prefix) ? firstIndex
                : others == null ? null : others.get(prefix);
        if (index == null && make) {
            index = new SeriesIndex();
            if (firstPrefix == null) {
                firstPrefix = prefix;
                firstIndex = index;
            } else {
                if (others == null) {
                    others = new HashMap<>(4);
                }
                others.put(prefix, index);
            }
        }
        if (index != null) {
            lastPrefix = prefix;
            lastIndex = index;
        }
        return index;
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

    private int firstAtOrAfterTime(long time) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[slot(mid)] < time) {
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
        NumberedSeries s = series[at];
        if (s != null) {
            c = instant(times[at]).compareTo(sentAt);
            return c != 0 ? c : s.id(numbers[at]).compareTo(messageId);
        }
        HistoryRecord r = (HistoryRecord) items[at];
        c = r.sentAt().compareTo(sentAt);
        return c != 0 ? c : r.messageId().compareTo(messageId);
    }

    private static long nanos(Instant t) {
        return EpochNanos.of(t);
    }

    private static Instant instant(long nanos) {
        return EpochNanos.instant(nanos);
    }

    private void grow() {
        int n = items.length * 2;
        Object[] biggerItems = new Object[n];
        NumberedSeries[] biggerSeries = new NumberedSeries[n];
        long[] biggerNumbers = new long[n];
        DeliveryState[] biggerStates = new DeliveryState[n];
        long[] biggerTimes = new long[n];
        for (int i = 0; i < size; i++) {
            int at = slot(i);
            biggerItems[i] = items[at];
            biggerSeries[i] = series[at];
            biggerNumbers[i] = numbers[at];
            biggerStates[i] = states[at];
            biggerTimes[i] = times[at];
        }
        items = biggerItems;
        series = biggerSeries;
        numbers = biggerNumbers;
        states = biggerStates;
        times = biggerTimes;
        head = 0;
        lastFound = -1;
    }
}
