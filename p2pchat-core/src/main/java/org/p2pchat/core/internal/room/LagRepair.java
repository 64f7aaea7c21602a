package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;

/**
 * Finds members left behind, from the POSITIONS they send every digest interval, and catches
 * them up from the room's {@link CatchUpBuffer} (PROTOCOL.md, "Catching up"). A member Y is
 * repaired for an origin when its position there has not moved since its previous POSITIONS
 * and is still below where this member stood when that previous one came: those messages had
 * a whole interval to arrive by flooding and did not, so they are not merely in flight (a
 * partition outlasted the delivery timeout, or every copy was dropped behind a gap). What is
 * sent is the messages kept from Y's position up to that earlier one, through
 * {@link CatchUpFeed}, one batch at a time.
 *
 * <p>Keeps, per member, only the origins it was behind on at its latest POSITIONS: at most
 * {@link RoomControl#MAX_POSITIONS} per member of the view. Runs in the sender's lane; the
 * first batch is sent with the room's lock released.
 */
final class LagRepair {
    /** What a member said of one origin, and where this member stood then. */
    private record Seen(long incarnation, long theirs, long ours) {
    }

    private final RoomState room;
    private final CatchUpFeed feed;
    /** Guarded by the room's lock. */
    private final Map<PeerKey, Map<PeerKey, Seen>> behind = new HashMap<>();

    LagRepair(RoomState room, CatchUpFeed feed) {
        this.room = room;
        this.feed = feed;
    }

    /** A member's POSITIONS: note where it is behind, and repair what stayed behind. */
    void onPositions(PeerKey from, RoomControl.Positions positions) {
        MemberRecord to;
        List<RoomPost> batch;
        synchronized (room) {
            to = room.view.member(from);
            if (room.left || to == null || from.equals(room.self.key())) {
                return;
            }
            long now = room.net.nanoTime();
            Map<PeerKey, RoomSequencer.Position> ours = new HashMap<>();
            for (RoomSequencer.Position p : room.positions()) {
                ours.put(p.origin(), p);
            }
            Map<PeerKey, Seen> before = behind.getOrDefault(from, Map.of());
            Map<PeerKey, Seen> still = new HashMap<>();
            List<CatchUpFeed.Range> lacking = new ArrayList<>();
            for (RoomSequencer.Position theirs : positions.positions()) {
                PeerKey origin = theirs.origin();
                RoomSequencer.Position mine = ours.get(origin);
                // A member is never behind on its own messages; and at another incarnation
                // than this member's, its position says nothing of what this member holds.
                if (origin.equals(from) || mine == null
                        || mine.incarnation() != theirs.incarnation()
                        || theirs.next() >= mine.next() || still.containsKey(origin)) {
                    continue;
                }
                Seen was = before.get(origin);
                if (was != null && was.incarnation() == theirs.incarnation()
                        && was.theirs() == theirs.next() && theirs.next() < was.ours()) {
                    long start = Math.max(theirs.next(), room.backlog.runStart(origin,
                            theirs.incarnation(), was.ours(), now));
                    if (start < was.ours()) {
                        lacking.add(new CatchUpFeed.Range(origin, theirs.incarnation(), start,
                                was.ours()));
                    }
                }
                still.put(origin, new Seen(theirs.incarnation(), theirs.next(), mine.next()));
            }
            if (still.isEmpty()) {
                behind.remove(from);
            } else {
                behind.put(from, still);
            }
            batch = feed.plan(to, lacking, false);
        }
        feed.send(to, batch);
    }

    /** Lock held: a member left, or was forgotten: nothing more to note of it. */
    void forget(PeerKey member) {
        behind.remove(member);
    }
}
