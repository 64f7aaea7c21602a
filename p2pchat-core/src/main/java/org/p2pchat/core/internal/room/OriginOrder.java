package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a member has delivered of one origin's messages in one room: the origin's incarnation,
 * the next number due, and the few that came ahead of a gap, held until it fills. Everything below
 * the next number is a copy, so the state is a number plus at most {@link #MAX_HELD} messages
 * however long the chat: NAKACK2's high-water mark with a small window above it.
 *
 * <p>Guarded by its {@link RoomSequencer}'s lock.
 */
final class OriginOrder {
    /** The most messages held ahead of a gap; one further ahead is dropped. */
    static final int MAX_HELD = 256;

    private long incarnation;
    private long next;
    private final TreeMap<Long, RoomPost> held = new TreeMap<>();
    /** When each held message arrived, in ticker nanoseconds: a gap is as old as its oldest. */
    private final TreeMap<Long, Long> arrived = new TreeMap<>();

    OriginOrder(long incarnation, long next) {
        this.incarnation = incarnation;
        this.next = next;
    }

    long incarnation() {
        return incarnation;
    }

    long next() {
        return next;
    }

    int held() {
        return held.size();
    }

    /** Whether a message is one delivered or held already, or of an incarnation gone by. */
    boolean isCopy(long postIncarnation, long seq) {
        if (postIncarnation != incarnation) {
            return postIncarnation < incarnation;
        }
        return seq < next || held.containsKey(seq);
    }

    /**
     * Takes a verified message that is not a copy; returns those now due, in order.
     *
     * @param post the message
     * @param now the ticker's time
     * @return the messages to deliver now, maybe none
     */
    List<RoomPost> accept(RoomPost post, long now) {
        if (post.incarnation() > incarnation) {
            // The origin joined again: its numbering starts over.
            incarnation = post.incarnation();
            next = 1;
            held.clear();
            arrived.clear();
        }
        List<RoomPost> due = new ArrayList<>(1);
        if (post.seq() == next) {
            due.add(post);
            next++;
            release(due);
        } else if (held.size() < MAX_HELD) {
            held.put(post.seq(), post);
            arrived.put(post.seq(), now);
        }
        return due;
    }

    /** The origin joined again with a newer incarnation: forget the old numbering. */
    void restart(long newIncarnation) {
        if (newIncarnation > incarnation) {
            incarnation = newIncarnation;
            next = 1;
            held.clear();
            arrived.clear();
        }
    }

    /**
     * Gives up on a gap waited for since before {@code deadline}: the held messages are delivered
     * and the missing ones will not be.
     *
     * @return the messages released, in order; empty if no gap is that old
     */
    List<RoomPost> skipGapOlderThan(long deadline) {
        List<RoomPost> due = new ArrayList<>();
        if (held.isEmpty()) {
            return due;
        }
        long oldest = arrived.firstEntry().getValue();
        for (long t : arrived.values()) {
            if (t - oldest < 0) {
                oldest = t;
            }
        }
        if (oldest - deadline > 0) {
            return due;
        }
        next = held.firstKey();
        release(due);
        return due;
    }

    private void release(List<RoomPost> due) {
        while (!held.isEmpty() && held.firstKey() == next) {
            due.add(held.pollFirstEntry().getValue());
            arrived.pollFirstEntry();
            next++;
        }
        while (!held.isEmpty() && held.firstKey() < next) {
            held.pollFirstEntry();
            arrived.pollFirstEntry();
        }
    }
}
