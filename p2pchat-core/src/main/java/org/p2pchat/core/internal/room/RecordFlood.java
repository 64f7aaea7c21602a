package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member records of a room as they spread (PROTOCOL.md, "Flooding" and "Digests and
 * failure"): an ANNOUNCE is checked, merged into the view, reported to the listener and forwarded,
 * and a member new to this peer is sent this peer's own record; a DIGEST is answered with the
 * records its sender lacks.
 *
 * <p>Runs in the sender's lane. Sends, listener events and the settling of publishes happen with
 * the room's lock released.
 */
final class RecordFlood {
    private static final Logger LOG = LoggerFactory.getLogger(RecordFlood.class);

    private final RoomState room;
    private final RoomNet net;
    private final RoomOutbox outbox;
    private final RoomPublisher publisher;
    private final Rooms rooms;
    private final LagRepair repair;

    RecordFlood(RoomState room, RoomOutbox outbox, RoomPublisher publisher, Rooms rooms,
            LagRepair repair) {
        this.room = room;
        this.repair = repair;
        this.net = room.net;
        this.outbox = outbox;
        this.publisher = publisher;
        this.rooms = rooms;
    }

    /** A member record from {@code from}: merge it, tell the listener, pass it on. */
    void onRecord(PeerKey from, MemberRecord record) {
        if (!record.room().equals(room.id)) {
            return;
        }
        List<Runnable> events = new ArrayList<>();
        List<PublishTracker> settle = List.of();
        List<MemberRecord> forwardTo;
        boolean introduceSelf;
        Runnable awaited = null;
        synchronized (room) {
            if (room.left) {
                return;
            }
            boolean fromMember = room.view.member(from) != null;
            if (!fromMember && !record.key().equals(from)) {
                LOG.debug("{}: #{}: ignoring a record from a non-member", net.selfName(),
                        room.name);
                return;
            }
            if (record.key().equals(room.self.key())) {
                return;
            }
            if (!fromMember && record.joined() && room.otherHolderOfName(record) != null) {
                // A peer introducing itself without having been admitted (no JOIN through a
                // member): it must not take a name a member holds, as a JOIN could not.
                LOG.debug("{}: #{}: ignoring {}: its name is a member's", net.selfName(),
                        room.name, record);
                return;
            }
            if (record.joined() && room.lacksAdmission(record)) {
                rooms.forged(room.name, from, "record of " + record + " without a valid admission");
                return;
            }
            RoomView.Applied applied = room.view.apply(record);
            for (PeerKey gone : applied.forgotten()) {
                room.sequencer.forget(gone);
                room.backlog.forget(gone);
                repair.forget(gone);
                room.status.remove(gone);
            }
            switch (applied.change()) {
                case NONE, TOMBSTONE -> {
                    return;
                }
                case JOINED, REJOINED -> {
                    room.startTracking(record);
                    RoomMember m = room.member(record);
                    events.add(() -> net.listener().onMemberJoined(room.name, m));
                    awaited = room.takeAwaited(record.key());
                }
                case LEFT -> {
                    room.status.remove(record.key());
                    repair.forget(record.key());
                    RoomMember m = room.member(applied.before());
                    events.add(() -> net.listener().onMemberLeft(room.name, m));
                    // Settled with the lock released: completing a publish runs its callbacks.
                    settle = publisher.unsettled();
                }
                default -> { }
            }
            forwardTo = room.forwardTargets(from, record.key());
            // A member new to this peer learns this peer's record first-hand, before any message.
            introduceSelf = record.joined() && applied.change() != RoomView.Change.UPDATED;
        }
        for (PublishTracker t : settle) {
            t.settled(record.key());
        }
        byte[] announce = RoomControl.announce(record);
        for (MemberRecord r : forwardTo) {
            outbox.sendControl(r, announce);
        }
        if (introduceSelf) {
            outbox.sendControl(record, RoomControl.announce(room.selfRecord()));
        }
        for (Runnable e : events) {
            outbox.fire(e);
        }
        if (awaited != null) {
            awaited.run();
        }
    }

    /** A digest from a member: send it what it lacks. */
    void onDigest(PeerKey from, RoomControl.Digest digest) {
        List<MemberRecord> lacking = new ArrayList<>();
        MemberRecord to;
        synchronized (room) {
            to = room.view.member(from);
            if (room.left || to == null) {
                return;
            }
            Map<PeerKey, RoomControl.DigestEntry> theirs = new HashMap<>();
            for (RoomControl.DigestEntry e : digest.entries()) {
                PeerKey k = org.p2pchat.core.internal.session.Ed25519.peerKeyOf(e.signingKey());
                if (k != null) {
                    theirs.put(k, e);
                }
            }
            for (MemberRecord r : room.view.records()) {
                RoomControl.DigestEntry e = theirs.get(r.key());
                if (e == null || r.incarnation() > e.incarnation()
                        || r.incarnation() == e.incarnation() && !r.joined() && e.joined()) {
                    lacking.add(r);
                }
            }
        }
        for (MemberRecord r : lacking) {
            outbox.sendControl(to, RoomControl.announce(r));
        }
    }
}
