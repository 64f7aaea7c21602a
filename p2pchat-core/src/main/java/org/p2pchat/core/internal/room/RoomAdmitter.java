package org.p2pchat.core.internal.room;

import java.util.List;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomJoinException;
import org.p2pchat.api.RoomMember;

/**
 * The member's side of a join (PROTOCOL.md, "Joining a room", Member M): a JOIN's record is
 * checked in the documented order, merged, and answered with a WELCOME and every record held,
 * while the other members are sent the joiner's record.
 *
 * <p>Runs in the joiner's lane. The answers go out, and the joined event is fired, with the
 * room's lock released.
 */
final class RoomAdmitter {
    private final RoomState room;
    private final RoomNet net;
    private final RoomOutbox outbox;
    private final RoomPublisher publisher;
    private final CatchUpFeed feed;

    RoomAdmitter(RoomState room, RoomOutbox outbox, RoomPublisher publisher, CatchUpFeed feed) {
        this.room = room;
        this.net = room.net;
        this.outbox = outbox;
        this.publisher = publisher;
        this.feed = feed;
    }

    /**
     * A joiner asks to be admitted: check its record, its admission and its name; on success it
     * gets the room's parameters, where each origin's numbering stands and every record, and the
     * other members get its record. A joiner that lists where it stopped before is then sent
     * what it missed (see {@link RejoinCatchUp}).
     *
     * @return null if admitted, else the refusal to send back
     */
    byte[] admit(PeerKey from, RoomControl.Join join) {
        // Nothing is published here meanwhile: a message numbered but not yet kept would be
        // neither in the catch-up nor sent to the joiner, and one sent to the joiner before its
        // WELCOME would be dropped there.
        synchronized (publisher.publishing()) {
            return admitHeld(from, join);
        }
    }

    private byte[] admitHeld(PeerKey from, RoomControl.Join join) {
        MemberRecord record = join.record();
        String name = room.name;
        List<RoomPost> firstBatch;
        List<MemberRecord> records;
        List<MemberRecord> others;
        byte[] welcome;
        RoomMember joined;
        synchronized (room) {
            if (room.left) {
                return RoomControl.refused(name, RoomJoinException.Reason.NO_SUCH_ROOM,
                        net.selfName() + " has left #" + name);
            }
            if (!record.key().equals(from) || !record.joined()) {
                return RoomControl.refused(name, RoomJoinException.Reason.PROTOCOL,
                        "a join must carry the joiner's own record");
            }
            if (room.lacksAdmission(record)) {
                return RoomControl.refused(name, RoomJoinException.Reason.INVITE_REQUIRED,
                        "#" + name + " is invite-only: ask a member for an invite");
            }
            MemberRecord holder = room.otherHolderOfName(record);
            if (holder != null) {
                return RoomControl.refused(name, RoomJoinException.Reason.NAME_TAKEN,
                        "the name '" + record.name() + "' is taken in #" + name + " by the member"
                        + " with key " + holder.key().fingerprint() + "; join under another name");
            }
            MemberRecord held = room.view.record(record.key());
            if (held != null && !held.joined() && !record.supersedes(held)) {
                return RoomControl.refused(name, RoomJoinException.Reason.PROTOCOL,
                        "this join is not newer than your last leave of #" + name
                        + " (is your clock behind?); join again later");
            }
            RoomView.Applied applied = held != null && !record.supersedes(held)
                    ? new RoomView.Applied(RoomView.Change.UPDATED, held, List.of())
                    : room.view.apply(record);
            if (applied.change() == RoomView.Change.NONE) {
                return RoomControl.refused(name, RoomJoinException.Reason.ROOM_FULL,
                        "#" + name + " has " + RoomView.MAX_MEMBERS + " members, the most it holds");
            }
            boolean isNew = applied.change() == RoomView.Change.JOINED
                    || applied.change() == RoomView.Change.REJOINED;
            if (isNew) {
                room.startTracking(record);
            }
            // Only one that was a member before (an earlier incarnation of its key is held) is
            // caught up: a first join gets nothing from before it, whatever its JOIN lists.
            boolean returning = held != null && held.incarnation() < record.incarnation();
            RejoinCatchUp plan = RejoinCatchUp.plan(room, record.key(),
                    returning ? join.positions() : null);
            welcome = RoomControl.welcome(room.id, room.access,
                    room.secret == null ? new byte[0] : room.secret, plan.welcome());
            firstBatch = feed.plan(record, plan.send(), true);
            records = room.view.records();
            others = isNew ? room.forwardTargets(from, from) : List.of();
            joined = isNew ? room.member(record) : null;
        }
        MemberRecord to = record;
        outbox.sendControl(to, welcome);
        for (MemberRecord r : records) {
            if (!r.key().equals(to.key())) {
                outbox.sendControl(to, RoomControl.announce(r));
            }
        }
        // After the records: the joiner accepts a message only from a member, of a member.
        feed.send(to, firstBatch);
        byte[] announce = RoomControl.announce(record);
        for (MemberRecord r : others) {
            outbox.sendControl(r, announce);
        }
        if (joined != null) {
            outbox.fire(() -> net.listener().onMemberJoined(name, joined));
        }
        return null;
    }
}
