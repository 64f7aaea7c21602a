package org.p2pchat.core.internal.store;

/**
 * The numbers of one {@link NumberedSeries}' records in one {@link RecordRing}, in order, each
 * with its time sent: so that a record written again under its id (a message sent again by a
 * friend's later process) is found without an index entry per record. A series' records come in
 * the order of their numbers nearly always, so adding one is an append, and the oldest leaving
 * its ring is a step of the head.
 *
 * <p>Not thread-safe: the {@link MemoryStore}'s lock guards it.
 */
final class SeriesIndex {
    private long[] numbers = new long[2];
    private long[] times = new long[2];
    /** The entries are at {@code [head, head + size)}. */
    private int head;
    private int size;
    /** The series its records refer to: one object, however many were passed in. */
    private NumberedSeries series;

    /**
     * The series a record of {@code s} keeps: the one kept before if equal, so that a writer
     * making a new but equal series per write (senders taking turns) adds no object per record
     * beyond what {@link MemoryStore#seriesCost} counts.
     */
    NumberedSeries share(NumberedSeries s) {
        if (series != s && !s.equals(series)) {
            series = s;
        }
        return series;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The time sent of the record numbered {@code number}, found by {@link #find}. */
    long time(int found) {
        return times[found];
    }

    /** Where the number is (for {@link #time}), or -1. */
    int find(long number) {
        if (size == 0 || number > numbers[head + size - 1] || number < numbers[head]) {
            return -1;
        }
        int at = lowerBound(number);
        return at < head + size && numbers[at] == number ? at : -1;
    }

    /** Adds a number not in the index. */
    void add(long number, long time) {
        if (head + size == numbers.length) {
            makeRoom();
        }
        int end = head + size;
        if (size == 0 || number > numbers[end - 1]) {
            numbers[end] = number;
            times[end] = time;
        } else {
            int at = lowerBound(number);
            System.arraycopy(numbers, at, numbers, at + 1, end - at);
            System.arraycopy(times, at, times, at + 1, end - at);
            numbers[at] = number;
            times[at] = time;
        }
        size++;
    }

    /** Removes a number, if it is there. */
    void remove(long number) {
        if (size > 0 && numbers[head] == number) {
            head++;
            size--;
            if (size == 0) {
                head = 0;
            }
            return;
        }
        int at = find(number);
        if (at >= 0) {
            int end = head + size;
            System.arraycopy(numbers, at + 1, numbers, at, end - at - 1);
            System.arraycopy(times, at + 1, times, at, end - at - 1);
            size--;
        }
    }

    /** The first position whose number is at least {@code number}. */
    private int lowerBound(long number) {
        int lo = head;
        int hi = head + size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (numbers[mid] < number) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The end is reached: move the entries to the front, or to arrays twice the size. */
    private void makeRoom() {
        long[] toNumbers = numbers;
        long[] toTimes = times;
        if (size * 2 > numbers.length) {
            toNumbers = new long[numbers.length * 2];
            toTimes = new long[numbers.length * 2];
        }
        System.arraycopy(numbers, head, toNumbers, 0, size);
        System.arraycopy(times, head, toTimes, 0, size);
        numbers = toNumbers;
        times = toTimes;
        head = 0;
    }
}
