package org.p2pchat.api;

import java.util.Objects;

/**
 * The identity of a room message: its origin's key, the origin's incarnation in the room (a
 * number that grows each time the origin joins, so a restarted origin's numbering is new), and
 * the origin's sequence number in that incarnation, from 1. Unique in a room; an immutable value.
 *
 * @param origin the key of the member that published it
 * @param incarnation the origin's incarnation in the room
 * @param seq the origin's sequence number, from 1
 */
public record RoomMessageId(PeerKey origin, long incarnation, long seq) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if the origin is null
     * @throws IllegalArgumentException if {@code seq} is below 1
     */
    public RoomMessageId {
        Objects.requireNonNull(origin, "origin");
        if (seq < 1) {
            throw new IllegalArgumentException("expected a sequence number of at least 1, got " + seq);
        }
    }

    /** Returns {@code fingerprint/incarnation/seq}, for logs. */
    @Override
    public String toString() {
        return origin.fingerprint() + "/" + incarnation + "/" + seq;
    }
}
