package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;

/**
 * What a member that rejoins is told and sent (PROTOCOL.md, "Catching up"): its JOIN lists where
 * it stopped, and for each origin this member tracks, the WELCOME's position is where the joiner
 * stopped if this member keeps every message from there on, else the first of the messages it
 * keeps without a gap up to its own position, else its own position; the messages between go to
 * the joiner after the WELCOME. An origin the JOIN does not list, or lists at an older
 * incarnation, is one the joiner had nothing of: it is caught up from the first message kept of
 * the incarnation this member knows. A JOIN without a list (a first join) is not caught up, nor
 * is a joiner of which this member holds no earlier incarnation (its admitter decides that), nor
 * are the messages of former members, which the joiner would drop.
 *
 * <p>A value computed with the room's lock held.
 *
 * @param welcome the WELCOME's positions
 * @param send what to send the joiner after the WELCOME, in order
 */
record RejoinCatchUp(List<RoomSequencer.Position> welcome, List<CatchUpFeed.Range> send) {

    /**
     * Lock held: the plan for a joiner.
     *
     * @param room the room
     * @param joiner the joiner's key
     * @param stopped the positions its JOIN listed, or null if none
     * @return the plan
     */
    static RejoinCatchUp plan(RoomState room, PeerKey joiner, List<RoomSequencer.Position> stopped) {
        List<RoomSequencer.Position> mine = room.positions();
        if (stopped == null) {
            return new RejoinCatchUp(mine, List.of());
        }
        Map<PeerKey, RoomSequencer.Position> before = new HashMap<>();
        for (RoomSequencer.Position p : stopped) {
            before.put(p.origin(), p);
        }
        long now = room.net.nanoTime();
        List<RoomSequencer.Position> welcome = new ArrayList<>(mine.size());
        List<CatchUpFeed.Range> send = new ArrayList<>();
        for (RoomSequencer.Position p : mine) {
            RoomSequencer.Position s = before.get(p.origin());
            long wanted = s == null || s.incarnation() < p.incarnation() ? 1
                    : s.incarnation() == p.incarnation() ? s.next() : p.next();
            long start = p.next();
            // A former member's messages would be dropped by the joiner (Flooding, step 2).
            if (!p.origin().equals(joiner) && wanted < p.next()
                    && room.view.member(p.origin()) != null) {
                start = Math.max(wanted, room.backlog.runStart(p.origin(), p.incarnation(),
                        p.next(), now));
                if (start < p.next()) {
                    send.add(new CatchUpFeed.Range(p.origin(), p.incarnation(), start, p.next()));
                }
            }
            welcome.add(new RoomSequencer.Position(p.origin(), p.signingKey(), p.incarnation(),
                    start));
        }
        return new RejoinCatchUp(welcome, send);
    }
}
