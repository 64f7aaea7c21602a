package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;

/**
 * De-duplication and ordering of one room's messages: an {@link OriginOrder} per origin the
 * room's {@link RoomView} holds a record of (members, and former members while their leave is
 * remembered), so each message reaches the listener once, in its origin's order, and the state
 * is bounded by the view's bounds however many messages pass. Thread-safe.
 */
final class RoomSequencer {
    /** Where an origin's numbering stands, as a joiner is told. */
    record Position(PeerKey origin, byte[] signingKey, long incarnation, long next) {
    }

    private final Map<PeerKey, OriginOrder> origins = new LinkedHashMap<>();
    private final Map<PeerKey, byte[]> signingKeys = new java.util.HashMap<>();

    /** Starts an origin's numbering where a member that admitted this peer stood. */
    synchronized void start(Position p) {
        origins.put(p.origin(), new OriginOrder(p.incarnation(), p.next()));
        signingKeys.put(p.origin(), p.signingKey());
    }

    /**
     * A member's record with this incarnation holds now; earlier numbering is over.
     *
     * @return whether the origin's numbering starts afresh (a new origin or a newer incarnation)
     */
    synchronized boolean member(PeerKey origin, byte[] signingKey, long incarnation) {
        OriginOrder o = origins.get(origin);
        if (o == null) {
            origins.put(origin, new OriginOrder(incarnation, 1));
            signingKeys.put(origin, signingKey);
            return true;
        }
        if (incarnation <= o.incarnation()) {
            return false;
        }
        o.restart(incarnation);
        signingKeys.put(origin, signingKey);
        return true;
    }

    /** Where an origin's numbering stands, or null if it is not known. */
    synchronized Position position(PeerKey origin) {
        OriginOrder o = origins.get(origin);
        return o == null ? null : new Position(origin, signingKeys.get(origin), o.incarnation(),
                o.next());
    }

    /** Whether a message was delivered (or is held) already, or belongs to a past incarnation. */
    synchronized boolean isCopy(RoomPost post) {
        OriginOrder o = origins.get(post.originKey());
        return o != null && o.isCopy(post.incarnation(), post.seq());
    }

    /**
     * Takes a verified message; returns those now due, in order (empty if it is a copy, or
     * waits behind a gap).
     */
    synchronized List<RoomPost> accept(RoomPost post, long now) {
        OriginOrder o = origins.get(post.originKey());
        if (o == null || o.isCopy(post.incarnation(), post.seq())) {
            return List.of();
        }
        return o.accept(post, now);
    }

    /** Gives up on gaps waited for since before {@code deadline}; returns what that releases. */
    synchronized List<RoomPost> skipGapsOlderThan(long deadline) {
        List<RoomPost> due = new ArrayList<>();
        for (OriginOrder o : origins.values()) {
            due.addAll(o.skipGapOlderThan(deadline));
        }
        return due;
    }

    /** Where every origin's numbering stands, for a joiner. */
    synchronized List<Position> positions() {
        List<Position> out = new ArrayList<>(origins.size());
        for (Map.Entry<PeerKey, OriginOrder> e : origins.entrySet()) {
            out.add(new Position(e.getKey(), signingKeys.get(e.getKey()),
                    e.getValue().incarnation(), e.getValue().next()));
        }
        return out;
    }

    /** The next number due from an origin, or 0 if it is not known; for tests. */
    synchronized long next(PeerKey origin) {
        OriginOrder o = origins.get(origin);
        return o == null ? 0 : o.next();
    }

    /**
     * The size of the state: origins remembered plus messages held ahead of gaps; the origins
     * alone when no gap is open.
     */
    synchronized int stateSize() {
        int n = origins.size();
        for (OriginOrder o : origins.values()) {
            n += o.held();
        }
        return n;
    }

    /** The view forgot a former member: its numbering goes too. */
    synchronized void forget(PeerKey origin) {
        origins.remove(origin);
        signingKeys.remove(origin);
    }
}
