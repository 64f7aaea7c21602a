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
 * <p>A POSITIONS that comes less than half a digest interval after the previous one counted
 * from its sender counts for nothing, so that a member cannot have what is kept sent to it more
 * often than about twice an interval (and {@link CatchUpFeed} sends at most one plan at a time).
 * Keeps, per member, when its latest POSITIONS counted and the origins it was behind on then: at
 * most {@link RoomControl#MAX_POSITIONS} per member of the view. Runs in the sender's lane; the
 * first batch is sent with the room's lock released.
 */
final class LagRepair {
    /**
     * What a member said of one origin, where this member stood then, and where a catch-up it
     * could not make without a gap started (0 if none).
     */
    private record Seen(long incarnation, long theirs, long ours, long gapSentFrom) {
    }

    /** A member's latest POSITIONS counted: when it came, and the origins it was behind on. */
    private record Report(long at, Map<PeerKey, Seen> behind) {
    }

    private final RoomState room;
    private final CatchUpFeed feed;
    /** Guarded by the room's lock. */
    private final Map<PeerKey, Report> reports = new HashMap<>();

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
            Report last = reports.get(from);
            // A member sends one POSITIONS per digest interval; more often, they could make
            // every member send it what it keeps over and over: the extra ones count for nothing.
            if (last != null && now - last.at() < room.net.digestInterval().toNanos() / 2) {
                return;
            }
            Map<PeerKey, RoomSequencer.Position> ours = new HashMap<>();
            for (RoomSequencer.Position p : room.positions()) {
                ours.put(p.origin(), p);
            }
            Map<PeerKey, RoomSequencer.Position> reported = new HashMap<>();
            for (RoomSequencer.Position theirs : positions.positions()) {
                reported.put(theirs.origin(), theirs); // of two of one origin, the later counts
            }
            Map<PeerKey, Seen> before = last == null ? Map.of() : last.behind();
            Map<PeerKey, Seen> still = new HashMap<>();
            List<CatchUpFeed.Range> lacking = new ArrayList<>();
            for (RoomSequencer.Position theirs : reported.values()) {
                PeerKey origin = theirs.origin();
                RoomSequencer.Position mine = ours.get(origin);
                // A member is never behind on its own messages; a former member's messages it
                // would drop; and at another incarnation than this member's, its position says
                // nothing of what this member holds.
                if (origin.equals(from) || mine == null || room.view.member(origin) == null
                        || mine.incarnation() != theirs.incarnation()
                        || theirs.next() >= mine.next()) {
                    continue;
                }
                Seen was = before.get(origin);
                long gapSentFrom = 0;
                if (was != null && was.incarnation() == theirs.incarnation()
                        && was.theirs() == theirs.next() && theirs.next() < was.ours()) {
                    long start = Math.max(theirs.next(), room.backlog.runStart(origin,
                            theirs.incarnation(), was.ours(), now));
                    // What starts past its position leaves it a gap this member cannot fill:
                    // sent once, for it to hold until it gives the gap up, not every interval.
                    boolean unfillable = start > theirs.next();
                    if (start < was.ours() && !(unfillable && was.gapSentFrom() == start)) {
                        lacking.add(new CatchUpFeed.Range(origin, theirs.incarnation(), start,
                                was.ours()));
                    }
                    gapSentFrom = unfillable ? start : 0;
                }
                still.put(origin, new Seen(theirs.incarnation(), theirs.next(), mine.next(),
                        gapSentFrom));
            }
            reports.put(from, new Report(now, still));
            batch = feed.plan(to, lacking, false);
        }
        feed.send(to, batch);
    }

    /** Lock held: a member left, or was forgotten: nothing more to note of it. */
    void forget(PeerKey member) {
        reports.remove(member);
    }
}
