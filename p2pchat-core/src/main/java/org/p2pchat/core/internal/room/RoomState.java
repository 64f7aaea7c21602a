package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMember;

/**
 * What one room knows, shared by the parts of {@link ChatRoom}: its fixed parameters, this
 * peer's view of the membership, where each origin's numbering stands, and how reachable each
 * member is. This object's monitor is <em>the room's lock</em>: every mutable field is guarded by
 * it, and the methods marked "lock held" must be called with it taken.
 *
 * <p>Used by every thread that touches the room: senders' lanes, the room's lane, application
 * threads and the network's acknowledgements. Whoever holds the lock calls no link and no
 * listener, except {@link RoomNet#connected}, which takes no lock: a link that redials asks the
 * room about its members while holding its own lock, so the other order would deadlock.
 */
final class RoomState {
    final RoomNet net;
    final RoomId id;
    final String name;
    final RoomAccess access;
    /** The invite-only room's secret, or null for an open room. */
    final byte[] secret;
    /** The lane the room's deliveries, events and timer run in, in order. */
    final String lane;
    final RoomView view = new RoomView();
    final RoomSequencer sequencer = new RoomSequencer();
    /** The messages delivered or published here lately, to catch members up. */
    final CatchUpBuffer backlog;
    final Map<PeerKey, MemberStatus> status = new HashMap<>();
    /** This peer's own record: joined, then its leave. */
    MemberRecord self;
    /** The number this peer's next message in the room gets. */
    long nextSeq = 1;
    boolean left;
    /** A member whose record is awaited (the admitter, while joining), and what to run then. */
    private PeerKey awaitedMember;
    private Runnable onAwaitedMember;

    RoomState(RoomNet net, RoomId id, String name, RoomAccess access, byte[] secret,
            long incarnation) {
        this.net = net;
        this.id = id;
        this.name = name;
        this.access = access;
        this.secret = secret == null ? null : secret.clone();
        this.lane = "#" + name + "/" + id;
        this.backlog = new CatchUpBuffer(net.catchUpLimits());
        byte[] admission = secret == null ? new byte[0]
                : Admission.prove(secret, id, net.signer().publicKey());
        this.self = MemberRecord.sign(id, net.signer(), incarnation, MemberRecord.JOINED,
                net.selfName(), net.selfAddress(), admission);
        view.apply(self);
        sequencer.member(self.key(), self.signingKey(), incarnation);
    }

    /** This peer's own record now. Takes the lock. */
    synchronized MemberRecord selfRecord() {
        return self;
    }

    /** Lock held: every member but this peer, the origin and the one a frame came from. */
    List<MemberRecord> forwardTargets(PeerKey from, PeerKey origin) {
        List<MemberRecord> out = new ArrayList<>();
        for (MemberRecord r : view.members()) {
            PeerKey k = r.key();
            if (!k.equals(self.key()) && !k.equals(from) && !k.equals(origin)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Lock held: how the application sees a member now. */
    RoomMember member(MemberRecord r) {
        MemberState state;
        if (r.key().equals(self.key())) {
            state = MemberState.SELF;
        } else {
            MemberStatus s = status.get(r.key());
            state = s != null && s.failed ? MemberState.FAILED
                    : net.connected(r.key()) ? MemberState.CONNECTED : MemberState.IDLE;
        }
        return new RoomMember(view.label(r), r.key(), r.address(), state);
    }

    /** The name a member is shown under here (see {@link RoomView#label}). Takes the lock. */
    synchronized String labelOf(MemberRecord r) {
        return view.label(r);
    }

    /**
     * Lock held: whether a record fails the invite-only room's admission check. The caller
     * decides whether the record is one that must carry it.
     */
    boolean lacksAdmission(MemberRecord record) {
        return access == RoomAccess.INVITE_ONLY
                && !Admission.holds(secret, id, record.signingKey(), record.admission());
    }

    /** Lock held: the member, of another key, that holds the record's name, or null. */
    MemberRecord otherHolderOfName(MemberRecord record) {
        MemberRecord holder = view.holderOf(record.name());
        return holder != null && !holder.key().equals(record.key()) ? holder : null;
    }

    /**
     * Lock held: a record just made someone a member (a new key, or a new incarnation): its
     * numbering starts afresh and it counts as reachable from now.
     */
    void startTracking(MemberRecord record) {
        if (sequencer.member(record.key(), record.signingKey(), record.incarnation())) {
            // Kept, so that if this peer restarts before the member's first message, it can
            // still ask for that member's messages when it rejoins.
            StoredPositions.write(net.store(), id, List.of(sequencer.position(record.key())));
        }
        status.put(record.key(), new MemberStatus(net.nanoTime()));
    }

    /**
     * Lock held: where each origin's numbering stands here, as a WELCOME or POSITIONS says it.
     * The sequencer never sees this peer's own messages, so its entry for this peer is replaced
     * by the number this peer publishes next.
     */
    List<RoomSequencer.Position> positions() {
        List<RoomSequencer.Position> out = new ArrayList<>();
        for (RoomSequencer.Position p : sequencer.positions()) {
            out.add(!p.origin().equals(self.key()) ? p : new RoomSequencer.Position(
                    p.origin(), p.signingKey(), self.incarnation(), nextSeq));
        }
        return out;
    }

    /** Lock held: runs {@code then} (via {@link #takeAwaited}) once {@code member} is a member. */
    void await(PeerKey member, Runnable then) {
        awaitedMember = member;
        onAwaitedMember = then;
    }

    /** Lock held: what to run now that {@code member} is a member, if it was awaited, or null. */
    Runnable takeAwaited(PeerKey member) {
        if (!member.equals(awaitedMember)) {
            return null;
        }
        Runnable then = onAwaitedMember;
        awaitedMember = null;
        onAwaitedMember = null;
        return then;
    }
}
