package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessageId;

/**
 * One room this peer is a member of, as the application and {@link Rooms} see it: it hands each
 * job to its part and owns the room's life, from joined to left.
 *
 * <ul>
 * <li>{@link RoomState}: what the room knows; its monitor is the room's lock.
 * <li>{@link RoomPublisher}: what this peer publishes.
 * <li>{@link PostFlood}: other members' messages, delivered once each in order and forwarded.
 * <li>{@link RecordFlood}: member records as they spread, and digests answered.
 * <li>{@link RoomAdmitter}: joiners admitted through this peer.
 * <li>{@link MemberLiveness}: the timer: digests, failures, gaps given up.
 * <li>{@link RoomOutbox}: frames to members, acknowledgements noted, listener events.
 * <li>{@link CatchUpBuffer} (in the state), {@link RejoinCatchUp}, {@link LagRepair} and
 *     {@link CatchUpFeed}: recent messages kept and sent again to members that missed them.
 * </ul>
 *
 * <p><b>Threading.</b> Frames from members are handled in their sender's lane (see
 * {@link RoomNet#execute}), deliveries, events and the timer in the room's lane; state is guarded
 * by the room's lock, never held while sending. Application threads publish, leave and read
 * snapshots.
 */
final class ChatRoom implements Room {
    private final RoomState state;
    private final Rooms rooms;
    private final RoomPublisher publisher;
    private final PostFlood posts;
    private final RecordFlood records;
    private final RoomAdmitter admitter;
    private final MemberLiveness liveness;
    private final RoomOutbox outbox;
    private final LagRepair repair;

    ChatRoom(RoomNet net, Rooms rooms, RoomId id, String name, RoomAccess access, byte[] secret,
            long incarnation) {
        this.state = new RoomState(net, id, name, access, secret, incarnation);
        this.rooms = rooms;
        this.outbox = new RoomOutbox(state);
        this.publisher = new RoomPublisher(state, outbox);
        this.posts = new PostFlood(state, outbox, rooms);
        CatchUpFeed feed = new CatchUpFeed(state, outbox);
        this.repair = new LagRepair(state, feed);
        this.records = new RecordFlood(state, outbox, publisher, rooms, repair);
        this.admitter = new RoomAdmitter(state, outbox, publisher, feed);
        this.liveness = new MemberLiveness(state, outbox, posts);
    }

    RoomId id() {
        return state.id;
    }

    String lane() {
        return state.lane;
    }

    MemberRecord selfRecord() {
        return state.selfRecord();
    }

    /** Starts the digests and failure checks. */
    void start() {
        liveness.start();
    }

    @Override
    public String name() {
        return state.name;
    }

    @Override
    public org.p2pchat.api.Conversation conversation() {
        return RoomHistory.conversationOf(state);
    }

    @Override
    public RoomAccess access() {
        return state.access;
    }

    @Override
    public String invite() {
        RoomNet net = state.net;
        return new Invite(net.selfAddress(), state.name, state.id, net.selfKey(), state.secret)
                .toString();
    }

    @Override
    public CompletionStage<RoomMessageId> publish(String text) {
        return publisher.publish(text);
    }

    // ---- frames from members, in the sender's lane ----

    /** A room message from the member {@code from}: check, de-duplicate, deliver, forward. */
    void onPost(PeerKey from, RoomPost post) {
        posts.onPost(from, post);
    }

    /** A member record from {@code from}: merge it, tell the listener, pass it on. */
    void onRecord(PeerKey from, MemberRecord record) {
        records.onRecord(from, record);
    }

    /** A digest from a member: send it what it lacks. */
    void onDigest(PeerKey from, RoomControl.Digest digest) {
        records.onDigest(from, digest);
    }

    /** A member's positions: catch it up where it stayed behind. */
    void onPositions(PeerKey from, RoomControl.Positions positions) {
        repair.onPositions(from, positions);
    }

    /**
     * A joiner asks to be admitted (see {@link RoomAdmitter#admit}).
     *
     * @return null if admitted, else the refusal to send back
     */
    byte[] admit(PeerKey from, RoomControl.Join join) {
        return admitter.admit(from, join);
    }

    // ---- joining, on the joiner's side ----

    /**
     * Runs {@code then} once the record of a member is in the view: at once if it is, else
     * when it arrives. A joiner completes its join so, once it holds its admitter's record, or
     * what it publishes at once would reach no one.
     */
    void whenMemberKnown(PeerKey member, Runnable then) {
        synchronized (state) {
            if (state.view.member(member) == null) {
                state.await(member, then);
                return;
            }
        }
        then.run();
    }

    /**
     * Where every origin's numbering starts for this peer: at the positions of the member that
     * admitted it, but never below where this peer stopped before (its stored positions), so
     * that nothing it delivered before a restart is delivered again. The starts are stored.
     */
    void startAt(List<RoomSequencer.Position> positions, List<RoomSequencer.Position> stopped) {
        Map<PeerKey, RoomSequencer.Position> before = new HashMap<>();
        for (RoomSequencer.Position p : stopped) {
            before.put(p.origin(), p);
        }
        List<RoomSequencer.Position> started = new ArrayList<>();
        for (RoomSequencer.Position p : positions) {
            if (p.origin().equals(state.net.selfKey())) {
                continue;
            }
            RoomSequencer.Position s = before.get(p.origin());
            RoomSequencer.Position start = s != null && (s.incarnation() > p.incarnation()
                    || s.incarnation() == p.incarnation() && s.next() > p.next())
                    ? new RoomSequencer.Position(p.origin(), p.signingKey(), s.incarnation(),
                            s.next())
                    : p;
            state.sequencer.start(start);
            started.add(start);
        }
        StoredPositions.write(state.net.store(), state.id, started);
    }

    // ---- leaving ----

    @Override
    public CompletionStage<Void> leave() {
        List<MemberRecord> tell;
        byte[] announce;
        synchronized (state) {
            if (state.left) {
                return CompletableFuture.completedFuture(null);
            }
            state.left = true;
            MemberRecord self = state.self;
            state.self = MemberRecord.sign(state.id, state.net.signer(), self.incarnation(),
                    MemberRecord.LEFT, self.name(), self.address(), self.admission());
            announce = RoomControl.announce(state.self);
            tell = state.forwardTargets(self.key(), self.key());
            liveness.stop();
        }
        rooms.removed(this);
        List<CompletableFuture<Void>> told = new ArrayList<>();
        for (MemberRecord r : tell) {
            told.add(outbox.send(r, RoomNet.KIND_CONTROL, announce)
                    .toCompletableFuture().exceptionally(e -> null));
        }
        return CompletableFuture.allOf(told.toArray(new CompletableFuture<?>[0]));
    }

    /** The node is closing: stop the timer; what is queued still goes out during the linger. */
    void stop() {
        synchronized (state) {
            liveness.stop();
        }
    }

    boolean hasLeft() {
        synchronized (state) {
            return state.left;
        }
    }

    // ---- snapshots ----

    @Override
    public List<RoomMember> members() {
        List<RoomMember> out = new ArrayList<>();
        synchronized (state) {
            for (MemberRecord r : state.view.members()) {
                out.add(state.member(r));
            }
        }
        out.sort(Comparator.comparing(RoomMember::name));
        return List.copyOf(out);
    }

    /** The member with this name here, or null. */
    MemberRecord memberNamed(String memberName) {
        synchronized (state) {
            for (MemberRecord r : state.view.members()) {
                if (state.view.label(r).equals(memberName) && !r.key().equals(state.self.key())) {
                    return r;
                }
            }
            return null;
        }
    }

    /** The record of a member here, or null. */
    MemberRecord memberRecord(PeerKey key) {
        synchronized (state) {
            return state.view.member(key);
        }
    }

    /** De-duplication state size, for tests: origins plus messages held. */
    int sequencerStateSize() {
        return state.sequencer.stateSize();
    }

    @Override
    public String toString() {
        return "Room[#" + state.name + " " + state.id + "]";
    }
}
