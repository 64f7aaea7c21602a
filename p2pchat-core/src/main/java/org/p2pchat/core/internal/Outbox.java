package org.p2pchat.core.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.OutboxFullException;

/**
 * The messages to one friend that it has not acknowledged yet, numbered from 1 in the order they
 * were sent. Those already transmitted on the current connection are <i>in flight</i>; the rest
 * are <i>waiting</i>. When the connection is lost, the ones in flight wait again, in front, to be
 * sent again on the next one. Messages leave only from the front: acknowledged, or abandoned
 * (timed out, or too large for the friend), so the numbers still to send always start at
 * {@link #floor()}.
 *
 * <p>Not thread-safe: its {@link FriendLink} guards it.
 */
final class Outbox {

    /** One message. */
    static final class Entry {
        final long seq;
        final byte[] utf8;
        final CompletableFuture<Void> done;
        final long deadline;
        boolean transmitted;
        /** When it was last written to a connection, on the node's ticker. */
        long transmittedAt;

        Entry(long seq, byte[] utf8, CompletableFuture<Void> done, long deadline) {
            this.seq = seq;
            this.utf8 = utf8;
            this.done = done;
            this.deadline = deadline;
        }

        /** What it counts against the outbox limit and the friend's window. */
        long units() {
            return (long) utf8.length + MessageFrames.MESSAGE_OVERHEAD;
        }
    }

    private final String friend;
    private final long limitBytes;
    private final ArrayDeque<Entry> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private long units;
    private long inFlightUnits;
    private long nextSeq = 1;
    private long highestTransmitted;

    Outbox(String friend, long limitBytes) {
        this.friend = friend;
        this.limitBytes = limitBytes;
    }

    /**
     * Adds a message behind the others.
     *
     * @return the entry
     * @throws OutboxFullException if it would take the outbox past its limit
     */
    Entry add(byte[] utf8, CompletableFuture<Void> done, long deadline) {
        long cost = (long) utf8.length + MessageFrames.MESSAGE_OVERHEAD;
        if (units + cost > limitBytes) {
            throw new OutboxFullException("the outbox to " + friend + " holds " + units
                    + " bytes of unacknowledged messages and the limit is " + limitBytes
                    + " (p2pchat.outboxLimitBytes): " + friend
                    + " is offline or reads slower than messages are sent");
        }
        Entry e = new Entry(nextSeq++, utf8, done, deadline);
        waiting.add(e);
        units += cost;
        return e;
    }

    boolean isEmpty() {
        return inFlight.isEmpty() && waiting.isEmpty();
    }

    boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /** The unit cost of the messages in flight on the current connection. */
    long inFlightUnits() {
        return inFlightUnits;
    }

    /** The bytes held, counted as the limit counts them. */
    long units() {
        return units;
    }

    /** The lowest number that may still be sent: the front entry's, else the next one. */
    long floor() {
        Entry first = inFlight.isEmpty() ? waiting.peekFirst() : inFlight.peekFirst();
        return first == null ? nextSeq : first.seq;
    }

    /** The highest number ever transmitted; an acknowledgement beyond it is a lie. */
    long highestTransmitted() {
        return highestTransmitted;
    }

    /** The oldest entry in flight, or null: the one whose acknowledgement is most overdue. */
    Entry oldestInFlight() {
        return inFlight.peekFirst();
    }

    /** The next waiting entry, or null. */
    Entry peekWaiting() {
        return waiting.peekFirst();
    }

    /**
     * Moves the next waiting entry into flight, marking it transmitted.
     *
     * @param now the time it is written
     * @return the entry
     */
    Entry transmitNext(long now) {
        Entry e = waiting.removeFirst();
        e.transmitted = true;
        e.transmittedAt = now;
        inFlight.addLast(e);
        inFlightUnits += e.units();
        highestTransmitted = Math.max(highestTransmitted, e.seq);
        return e;
    }

    /**
     * Removes every entry numbered up to {@code seq}.
     *
     * @param seq the acknowledged number
     * @param removed receives the entries, in order
     */
    void acknowledge(long seq, List<Entry> removed) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().seq <= seq) {
            Entry e = inFlight.removeFirst();
            inFlightUnits -= e.units();
            units -= e.units();
            removed.add(e);
        }
        if (inFlight.isEmpty()) {
            while (!waiting.isEmpty() && waiting.peekFirst().seq <= seq) {
                removeWaiting(removed);
            }
        }
    }

    /**
     * Removes the front entry if its deadline has passed.
     *
     * @param now the time
     * @return the entry, or null if the front entry is still live (or there is none)
     */
    Entry expireFront(long now) {
        Entry first = inFlight.isEmpty() ? waiting.peekFirst() : inFlight.peekFirst();
        if (first == null || first.deadline - now > 0) {
            return null;
        }
        return removeFront();
    }

    /** Removes the front entry, which must exist. */
    Entry removeFront() {
        if (!inFlight.isEmpty()) {
            Entry e = inFlight.removeFirst();
            inFlightUnits -= e.units();
            units -= e.units();
            return e;
        }
        java.util.ArrayList<Entry> one = new java.util.ArrayList<>(1);
        removeWaiting(one);
        return one.get(0);
    }

    private void removeWaiting(List<Entry> removed) {
        Entry e = waiting.removeFirst();
        units -= e.units();
        removed.add(e);
    }

    /** The connection was lost: what was in flight waits again, in front, in order. */
    void rewind() {
        while (!inFlight.isEmpty()) {
            waiting.addFirst(inFlight.removeLast());
        }
        inFlightUnits = 0;
    }

    /**
     * Removes every entry.
     *
     * @param removed receives them, in order
     */
    void clear(List<Entry> removed) {
        removed.addAll(inFlight);
        removed.addAll(waiting);
        inFlight.clear();
        waiting.clear();
        units = 0;
        inFlightUnits = 0;
    }
}
