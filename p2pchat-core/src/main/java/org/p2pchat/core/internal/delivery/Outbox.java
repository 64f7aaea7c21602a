package org.p2pchat.core.internal.delivery;

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
 * <p>A message that times out while in flight leaves the outbox (its send fails, its bytes no
 * longer count against the limit), but it is still on its way to the friend: until an
 * acknowledgement covers it or the connection is lost, it keeps counting against the friend's
 * window ({@link #inFlightUnits()}) and as an unacknowledged write
 * ({@link #oldestUnacknowledgedWriteAt}).
 *
 * <p>Not thread-safe: its {@link FriendLink} guards it.
 */
final class Outbox {

    /** One message. */
    static final class Entry {
        /** Final once transmitted; until then {@link #renumberFrom} may move it. */
        long seq;
        final byte kind;
        final byte[] utf8;
        final CompletableFuture<Void> done;
        final long deadline;
        boolean transmitted;
        /** When it was last written to a connection, on the node's ticker. */
        long transmittedAt;
        /** Its record in the store, for a direct text message; else null. */
        TrackedText tracked;

        Entry(long seq, byte kind, byte[] utf8, CompletableFuture<Void> done, long deadline) {
            this.seq = seq;
            this.kind = kind;
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
    /** Timed out while in flight on the current connection, not yet acknowledged. */
    private final ArrayDeque<Abandoned> abandonedInFlight = new ArrayDeque<>();
    private long units;
    private long inFlightUnits;
    private long abandonedInFlightUnits;
    private long nextSeq = 1;
    private long highestTransmitted;

    /** What is left of an entry that timed out in flight: no text, no future. */
    private record Abandoned(long seq, long units, long transmittedAt) {
    }

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
    Entry add(byte kind, byte[] utf8, CompletableFuture<Void> done, long deadline) {
        long cost = (long) utf8.length + MessageFrames.MESSAGE_OVERHEAD;
        if (units + cost > limitBytes) {
            throw new OutboxFullException("the outbox to " + friend + " holds " + units
                    + " bytes of unacknowledged messages and the limit is " + limitBytes
                    + " (p2pchat.outboxLimitBytes): " + friend
                    + " is offline or reads slower than messages are sent");
        }
        return append(kind, utf8, done, deadline);
    }

    /**
     * Adds a message an earlier process left in the store's outbox, whatever the limit: it was
     * within that process's limit (its first numbering makes it a few bytes longer now), and
     * refusing it would mean failing it, which nothing asked for.
     *
     * @return the entry
     */
    Entry addRestored(byte kind, byte[] body, CompletableFuture<Void> done, long deadline) {
        return append(kind, body, done, deadline);
    }

    private Entry append(byte kind, byte[] utf8, CompletableFuture<Void> done, long deadline) {
        Entry e = new Entry(nextSeq++, kind, utf8, done, deadline);
        waiting.add(e);
        units += (long) utf8.length + MessageFrames.MESSAGE_OVERHEAD;
        return e;
    }

    boolean isEmpty() {
        return inFlight.isEmpty() && waiting.isEmpty();
    }

    boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    /** How many entries wait to be transmitted. */
    int waitingCount() {
        return waiting.size();
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * The unit cost of the messages written to the current connection and not acknowledged,
     * including those that timed out on the way.
     */
    long inFlightUnits() {
        return inFlightUnits + abandonedInFlightUnits;
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

    /**
     * When the oldest message written to the current connection and not acknowledged was
     * written, including one that timed out on the way: its acknowledgement is the most overdue.
     *
     * @param none what to return if there is no such message
     * @return its transmission time, or {@code none}
     */
    long oldestUnacknowledgedWriteAt(long none) {
        // Abandoned entries were written before any entry still in flight.
        Abandoned a = abandonedInFlight.peekFirst();
        if (a != null) {
            return a.transmittedAt();
        }
        Entry e = inFlight.peekFirst();
        return e == null ? none : e.transmittedAt;
    }

    /**
     * Tells whether any message of this outbox was ever written to a connection.
     *
     * @return false for an outbox whose numbering may still move
     */
    boolean everTransmitted() {
        return highestTransmitted != 0;
    }

    /**
     * Renumbers the waiting messages to start at {@code first}, for a friend that already
     * acknowledged numbers up to {@code first - 1} from an earlier outbox of this process.
     *
     * @param first the first number to use
     * @throws IllegalStateException if a message was ever transmitted
     */
    void renumberFrom(long first) {
        if (everTransmitted()) {
            throw new IllegalStateException("messages were transmitted; numbers are fixed");
        }
        long seq = first;
        for (Entry e : waiting) {
            e.seq = seq++;
            if (e.tracked != null) {
                e.tracked.numbered(e.seq);
            }
        }
        nextSeq = seq;
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
    /**
     * About how many entries {@link #acknowledge} would remove for {@code seq}: those in flight
     * up to it (a capacity for the list that receives them; an ACK may cover thousands).
     */
    int inFlightUpTo(long seq) {
        Entry first = inFlight.peekFirst();
        if (first == null || seq < first.seq) {
            return 0;
        }
        return (int) Math.min(inFlight.size(), seq - first.seq + 1);
    }

    void acknowledge(long seq, List<Entry> removed) {
        while (!abandonedInFlight.isEmpty() && abandonedInFlight.peekFirst().seq() <= seq) {
            abandonedInFlightUnits -= abandonedInFlight.removeFirst().units();
        }
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
            abandonedInFlight.addLast(new Abandoned(e.seq, e.units(), e.transmittedAt));
            abandonedInFlightUnits += e.units();
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
        // Not sent again; the next connection's first acknowledgement accounts for them.
        abandonedInFlight.clear();
        abandonedInFlightUnits = 0;
    }

    /** Every entry, in order (for what the store must record of them). */
    void forEach(java.util.function.Consumer<Entry> action) {
        inFlight.forEach(action);
        waiting.forEach(action);
    }

    /**
     * Lists the sends still waiting for an acknowledgement.
     *
     * @param into receives their futures, in order
     */
    void pending(List<CompletableFuture<Void>> into) {
        for (Entry e : inFlight) {
            into.add(e.done);
        }
        for (Entry e : waiting) {
            into.add(e.done);
        }
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
        abandonedInFlight.clear();
        units = 0;
        inFlightUnits = 0;
        abandonedInFlightUnits = 0;
    }

    /** For stats: how many messages it holds, in flight or waiting. */
    int size() {
        return inFlight.size() + waiting.size();
    }

    /** For stats: how many messages are in flight on the current connection. */
    int inFlightCount() {
        return inFlight.size();
    }
}
