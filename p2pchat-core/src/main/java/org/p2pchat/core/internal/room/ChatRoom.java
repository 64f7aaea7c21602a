package org.p2pchat.core.internal.room;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.NotInRoomException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomJoinException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.RoomMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room this peer is a member of: its view of the membership, the de-duplication and order
 * of its messages, and what this peer publishes in it.
 *
 * <p><b>Flooding.</b> A message published here is signed and sent to every member. A member that
 * receives a message it has not seen checks its signature and its origin's membership, hands it
 * to the listener once, in its origin's order, and forwards it to every member but its origin and
 * the one it came from. Records of members spread the same way, each forwarded before any message
 * that depends on it, so on every path a member's record arrives before its messages.
 *
 * <p><b>Liveness.</b> Every {@code digestInterval} this peer sends each member a digest of the
 * records it holds; the member answers with the records it holds that are newer or missing, so
 * views converge after a partition. A member that acknowledged nothing for
 * {@code failureTimeout} is reported failed, and joined again when it answers.
 *
 * <p><b>Threading.</b> Frames from members are handled in the room's lane (see
 * {@link RoomNet#execute}); state is guarded by this object's lock, never held while sending.
 * Application threads publish and read snapshots.
 */
final class ChatRoom implements Room {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRoom.class);

    private final RoomNet net;
    private final Rooms rooms;
    private final RoomId id;
    private final String name;
    private final RoomAccess access;
    private final byte[] secret;
    private final String lane;
    private final RoomView view = new RoomView();
    private final RoomSequencer sequencer = new RoomSequencer();
    private final Map<PeerKey, MemberStatus> status = new HashMap<>();
    /** The publishes waiting for acknowledgements; guarded by this object's lock. */
    private final List<PublishTracker> pending = new ArrayList<>();
    /** Held while a message is numbered, signed and queued, so that they go out in order. */
    private final Object publishing = new Object();
    private MemberRecord self;
    private long nextSeq = 1;
    private boolean left;
    private ScheduledFuture<?> tick;
    /** A member whose record is awaited (the admitter, while joining), and what to run then. */
    private PeerKey awaitedMember;
    private Runnable onAwaitedMember;

    ChatRoom(RoomNet net, Rooms rooms, RoomId id, String name, RoomAccess access, byte[] secret,
            long incarnation) {
        this.net = net;
        this.rooms = rooms;
        this.id = id;
        this.name = name;
        this.access = access;
        this.secret = secret == null ? null : secret.clone();
        this.lane = "#" + name + "/" + id;
        byte[] admission = secret == null ? new byte[0]
                : Admission.prove(secret, id, net.signer().publicKey());
        this.self = MemberRecord.sign(id, net.signer(), incarnation, MemberRecord.JOINED,
                net.selfName(), net.selfAddress(), admission);
        view.apply(self);
        sequencer.member(self.key(), self.signingKey(), incarnation);
    }

    RoomId id() {
        return id;
    }

    String lane() {
        return lane;
    }

    MemberRecord selfRecord() {
        synchronized (this) {
            return self;
        }
    }

    /** Starts the digests and failure checks. */
    void start() {
        long period = net.digestInterval().toNanos();
        tick = net.timer().scheduleWithFixedDelay(() -> net.execute(lane, this::tick), period,
                period, TimeUnit.NANOSECONDS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RoomAccess access() {
        return access;
    }

    @Override
    public String invite() {
        return new Invite(net.selfAddress(), name, id, net.selfKey(), secret).toString();
    }

    // ---- publishing ----

    @Override
    public CompletionStage<RoomMessageId> publish(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int max = net.maxBodyBytes() - RoomPost.OVERHEAD;
        if (utf8.length > max) {
            return CompletableFuture.failedFuture(new MessageTooLargeException("room message of "
                    + utf8.length + " bytes; at most " + max + " fit in a frame (p2pchat.maxFrameBytes)"));
        }
        // Numbers are drawn, signed and queued in one order under the publishing lock, and the
        // signature (half a millisecond) is made outside the room's lock, which the network
        // threads take for every acknowledgement.
        synchronized (publishing) {
            long seq;
            long incarnation;
            List<MemberRecord> targets = new ArrayList<>();
            List<RoomMember> waitFor = new ArrayList<>();
            synchronized (this) {
                if (left) {
                    return CompletableFuture.failedFuture(new NotInRoomException(net.selfName()
                            + " left #" + name));
                }
                seq = nextSeq++;
                incarnation = self.incarnation();
                for (MemberRecord r : view.members()) {
                    if (r.key().equals(self.key())) {
                        continue;
                    }
                    targets.add(r);
                    MemberStatus s = status.get(r.key());
                    if (s == null || !s.failed) {
                        waitFor.add(member(r));
                    }
                }
            }
            RoomPost post = RoomPost.sign(id, net.signer(), incarnation, seq,
                    net.currentTimeMillis(), utf8);
            PublishTracker tracker = new PublishTracker(new RoomMessageId(self.key(), incarnation,
                    seq), name, waitFor);
            if (!tracker.stage().isDone()) {
                synchronized (this) {
                    pending.add(tracker);
                }
                tracker.stage().whenComplete((v, e) -> {
                    synchronized (ChatRoom.this) {
                        pending.remove(tracker);
                    }
                });
            }
            for (MemberRecord r : targets) {
                net.send(r.key(), r.name(), r.address(), RoomNet.KIND_POST, post.encoded())
                        .whenComplete((v, e) -> {
                            if (e == null) {
                                acked(r.key());
                                tracker.settled(r.key());
                            } else {
                                tracker.failed(r.key(), e);
                            }
                        });
            }
            return tracker.stage();
        }
    }

    // ---- frames from members, in the room's lane ----

    /** A room message from the member {@code from}: check, de-duplicate, deliver, forward. */
    void onPost(PeerKey from, RoomPost post) {
        MemberRecord origin;
        synchronized (this) {
            if (left || view.member(from) == null) {
                LOG.debug("{}: #{}: dropping {} relayed by a non-member", net.selfName(), name, post);
                return;
            }
            origin = view.member(post.originKey());
            if (origin == null || origin.incarnation() != post.incarnation()
                    || !post.signedWith(origin.signingKey())
                    || origin.key().equals(self.key()) || sequencer.isCopy(post)) {
                return;
            }
        }
        if (!post.verify()) {
            rooms.forged(name, from, post + ": its signature does not hold");
            return;
        }
        String text;
        try {
            text = post.text();
        } catch (org.p2pchat.api.ProtocolException e) {
            rooms.forged(name, from, post + ": " + e.getMessage());
            return;
        }
        synchronized (this) {
            List<RoomPost> due = sequencer.accept(post, net.nanoTime());
            if (!due.isEmpty()) {
                // Delivered in the room's lane, queued in the order the sequencer released them:
                // two senders' lanes relaying one origin must not overtake each other.
                List<MemberRecord> forwardTo = forwardTargets(from, post.originKey());
                // Messages that waited behind a gap may not have reached the member this one came
                // from: they go to every member but their origin.
                List<MemberRecord> everyone = due.size() == 1 ? forwardTo
                        : forwardTargets(self.key(), post.originKey());
                net.execute(lane, () -> deliverAndForward(due, forwardTo, everyone, text, post));
            }
        }
    }

    private void deliverAndForward(List<RoomPost> due, List<MemberRecord> forwardTo,
            List<MemberRecord> everyone, String knownText, RoomPost known) {
        for (RoomPost p : due) {
            MemberRecord origin;
            synchronized (this) {
                origin = view.record(p.originKey());
            }
            String text = p == known ? knownText : p.text();
            String from = origin == null ? "?" : labelOf(origin);
            RoomMessage m = new RoomMessage(name, from, p.originKey(), text,
                    Instant.ofEpochMilli(p.sentAt()), Instant.now(),
                    new RoomMessageId(p.originKey(), p.incarnation(), p.seq()));
            for (MemberRecord r : p == known ? forwardTo : everyone) {
                if (!r.key().equals(p.originKey())) {
                    net.send(r.key(), r.name(), r.address(), RoomNet.KIND_POST, p.encoded())
                            .whenComplete((v, e) -> {
                                if (e == null) {
                                    acked(r.key());
                                }
                            });
                }
            }
            try {
                net.listener().onRoomMessage(m);
            } catch (RuntimeException e) {
                LOG.warn("{}: the listener threw on a message in #{}", net.selfName(), name, e);
            }
        }
    }

    /** Lock held: every member but this peer, the origin and the one a frame came from. */
    private List<MemberRecord> forwardTargets(PeerKey from, PeerKey origin) {
        List<MemberRecord> out = new ArrayList<>();
        for (MemberRecord r : view.members()) {
            PeerKey k = r.key();
            if (!k.equals(self.key()) && !k.equals(from) && !k.equals(origin)) {
                out.add(r);
            }
        }
        return out;
    }

    /** A member record from {@code from}: merge it, tell the listener, pass it on. */
    void onRecord(PeerKey from, MemberRecord record) {
        if (!record.room().equals(id)) {
            return;
        }
        List<Runnable> events = new ArrayList<>();
        List<PublishTracker> settle = List.of();
        List<MemberRecord> forwardTo;
        boolean introduceSelf;
        Runnable awaited = null;
        synchronized (this) {
            if (left) {
                return;
            }
            boolean fromMember = view.member(from) != null;
            if (!fromMember && !record.key().equals(from)) {
                LOG.debug("{}: #{}: ignoring a record from a non-member", net.selfName(), name);
                return;
            }
            if (record.key().equals(self.key())) {
                return;
            }
            if (!fromMember && record.joined()) {
                // A peer introducing itself without having been admitted (no JOIN through a
                // member): it must not take a name a member holds, as a JOIN could not.
                MemberRecord holder = view.holderOf(record.name());
                if (holder != null && !holder.key().equals(record.key())) {
                    LOG.debug("{}: #{}: ignoring {}: its name is a member's", net.selfName(), name,
                            record);
                    return;
                }
            }
            if (record.joined() && access == RoomAccess.INVITE_ONLY
                    && !Admission.holds(secret, id, record.signingKey(), record.admission())) {
                rooms.forged(name, from, "record of " + record + " without a valid admission");
                return;
            }
            RoomView.Applied applied = view.apply(record);
            for (PeerKey gone : applied.forgotten()) {
                sequencer.forget(gone);
                status.remove(gone);
            }
            switch (applied.change()) {
                case NONE, TOMBSTONE -> {
                    return;
                }
                case JOINED, REJOINED -> {
                    sequencer.member(record.key(), record.signingKey(), record.incarnation());
                    MemberStatus s = new MemberStatus(net.nanoTime());
                    status.put(record.key(), s);
                    RoomMember m = member(record);
                    events.add(() -> net.listener().onMemberJoined(name, m));
                    if (record.key().equals(awaitedMember)) {
                        awaited = onAwaitedMember;
                        awaitedMember = null;
                        onAwaitedMember = null;
                    }
                }
                case LEFT -> {
                    status.remove(record.key());
                    RoomMember m = member(applied.before());
                    events.add(() -> net.listener().onMemberLeft(name, m));
                    // Settled with the lock released: completing a publish runs its callbacks.
                    settle = List.copyOf(pending);
                }
                default -> { }
            }
            forwardTo = forwardTargets(from, record.key());
            // A member new to this peer learns this peer's record first-hand, before any message.
            introduceSelf = record.joined() && applied.change() != RoomView.Change.UPDATED;
        }
        for (PublishTracker t : settle) {
            t.settled(record.key());
        }
        byte[] announce = RoomControl.announce(record);
        for (MemberRecord r : forwardTo) {
            sendControl(r, announce);
        }
        if (introduceSelf) {
            sendControl(record, RoomControl.announce(selfRecord()));
        }
        for (Runnable e : events) {
            fire(e);
        }
        if (awaited != null) {
            awaited.run();
        }
    }

    /** A digest from a member: send it what it lacks. */
    void onDigest(PeerKey from, RoomControl.Digest digest) {
        List<MemberRecord> lacking = new ArrayList<>();
        MemberRecord to;
        synchronized (this) {
            to = view.member(from);
            if (left || to == null) {
                return;
            }
            Map<PeerKey, RoomControl.DigestEntry> theirs = new HashMap<>();
            for (RoomControl.DigestEntry e : digest.entries()) {
                PeerKey k = org.p2pchat.core.internal.session.Ed25519.peerKeyOf(e.signingKey());
                if (k != null) {
                    theirs.put(k, e);
                }
            }
            for (MemberRecord r : view.records()) {
                RoomControl.DigestEntry e = theirs.get(r.key());
                if (e == null || r.incarnation() > e.incarnation()
                        || r.incarnation() == e.incarnation() && !r.joined() && e.joined()) {
                    lacking.add(r);
                }
            }
        }
        for (MemberRecord r : lacking) {
            sendControl(to, RoomControl.announce(r));
        }
    }

    /**
     * A joiner asks to be admitted: check its record, its admission and its name; on success it
     * gets the room's parameters, where each origin's numbering stands and every record, and the
     * other members get its record.
     *
     * @return null if admitted, else the refusal to send back
     */
    byte[] admit(PeerKey from, MemberRecord record) {
        List<MemberRecord> records;
        List<MemberRecord> others;
        byte[] welcome;
        RoomMember joined;
        synchronized (this) {
            if (left) {
                return RoomControl.refused(name, RoomJoinException.Reason.NO_SUCH_ROOM,
                        net.selfName() + " has left #" + name);
            }
            if (!record.key().equals(from) || !record.joined()) {
                return RoomControl.refused(name, RoomJoinException.Reason.PROTOCOL,
                        "a join must carry the joiner's own record");
            }
            if (access == RoomAccess.INVITE_ONLY
                    && !Admission.holds(secret, id, record.signingKey(), record.admission())) {
                return RoomControl.refused(name, RoomJoinException.Reason.INVITE_REQUIRED,
                        "#" + name + " is invite-only: ask a member for an invite");
            }
            MemberRecord holder = view.holderOf(record.name());
            if (holder != null && !holder.key().equals(record.key())) {
                return RoomControl.refused(name, RoomJoinException.Reason.NAME_TAKEN,
                        "the name '" + record.name() + "' is taken in #" + name + " by the member"
                        + " with key " + holder.key().fingerprint() + "; join under another name");
            }
            MemberRecord held = view.record(record.key());
            if (held != null && !held.joined() && !record.supersedes(held)) {
                return RoomControl.refused(name, RoomJoinException.Reason.PROTOCOL,
                        "this join is not newer than your last leave of #" + name
                        + " (is your clock behind?); join again later");
            }
            RoomView.Applied applied = held != null && !record.supersedes(held)
                    ? new RoomView.Applied(RoomView.Change.UPDATED, held, List.of())
                    : view.apply(record);
            if (applied.change() == RoomView.Change.NONE) {
                return RoomControl.refused(name, RoomJoinException.Reason.ROOM_FULL,
                        "#" + name + " has " + RoomView.MAX_MEMBERS + " members, the most it holds");
            }
            boolean isNew = applied.change() == RoomView.Change.JOINED
                    || applied.change() == RoomView.Change.REJOINED;
            if (isNew) {
                sequencer.member(record.key(), record.signingKey(), record.incarnation());
                status.put(record.key(), new MemberStatus(net.nanoTime()));
            }
            welcome = RoomControl.welcome(id, access, secret == null ? new byte[0] : secret,
                    positionsForJoiner());
            records = view.records();
            others = isNew ? forwardTargets(from, from) : List.of();
            joined = isNew ? member(record) : null;
        }
        MemberRecord to = record;
        sendControl(to, welcome);
        for (MemberRecord r : records) {
            if (!r.key().equals(to.key())) {
                sendControl(to, RoomControl.announce(r));
            }
        }
        byte[] announce = RoomControl.announce(record);
        for (MemberRecord r : others) {
            sendControl(r, announce);
        }
        if (joined != null) {
            fire(() -> net.listener().onMemberJoined(name, joined));
        }
        return null;
    }

    /**
     * Lock held: where each origin's numbering stands here, for a joiner. The sequencer never
     * sees this peer's own messages, so its entry for this peer is replaced by the next number
     * this peer will publish: the joiner must not wait for those published before it joined.
     */
    private List<RoomSequencer.Position> positionsForJoiner() {
        List<RoomSequencer.Position> out = new ArrayList<>();
        for (RoomSequencer.Position p : sequencer.positions()) {
            out.add(!p.origin().equals(self.key()) ? p : new RoomSequencer.Position(p.origin(),
                    p.signingKey(), self.incarnation(), nextSeq));
        }
        return out;
    }

    /**
     * Runs {@code then} once the record of a member is in the view: at once if it is, else
     * when it arrives. A joiner completes its join so, once it holds its admitter's record, or
     * what it publishes at once would reach no one.
     */
    void whenMemberKnown(PeerKey member, Runnable then) {
        synchronized (this) {
            if (view.member(member) == null) {
                awaitedMember = member;
                onAwaitedMember = then;
                return;
            }
        }
        then.run();
    }

    /** Where every origin's numbering starts for this peer, from the member that admitted it. */
    void startAt(List<RoomSequencer.Position> positions) {
        for (RoomSequencer.Position p : positions) {
            if (!p.origin().equals(net.selfKey())) {
                sequencer.start(p);
            }
        }
    }

    // ---- the timer, in the room's lane ----

    private void tick() {
        List<MemberRecord> digestTo = new ArrayList<>();
        List<Runnable> events = new ArrayList<>();
        byte[] digest;
        List<RoomPost> released;
        List<MemberRecord> everyone;
        long now = net.nanoTime();
        synchronized (this) {
            if (left) {
                return;
            }
            digest = RoomControl.digest(id, view.records());
            long failAfter = net.failureTimeout().toNanos();
            for (MemberRecord r : view.members()) {
                if (r.key().equals(self.key())) {
                    continue;
                }
                MemberStatus s = status.computeIfAbsent(r.key(), k -> new MemberStatus(now));
                if (!s.digestPending) {
                    s.digestPending = true;
                    digestTo.add(r);
                }
                if (!s.failed && now - s.lastAck > failAfter) {
                    s.failed = true;
                    RoomMember m = member(r);
                    events.add(() -> net.listener().onMemberFailed(name, m));
                }
            }
            released = sequencer.skipGapsOlderThan(now - net.deliveryTimeout().toNanos());
            everyone = forwardTargets(self.key(), self.key());
        }
        if (!released.isEmpty()) {
            LOG.warn("{}: #{}: gave up waiting for messages missing before {} others",
                    net.selfName(), name, released.size());
            deliverAndForward(released, everyone, everyone, null, null);
        }
        for (MemberRecord r : digestTo) {
            net.send(r.key(), r.name(), r.address(), RoomNet.KIND_CONTROL, digest)
                    .whenComplete((v, e) -> digestSettled(r.key(), e == null));
        }
        for (Runnable e : events) {
            fire(e);
        }
    }

    private void digestSettled(PeerKey member, boolean acked) {
        synchronized (this) {
            MemberStatus s = status.get(member);
            if (s != null) {
                s.digestPending = false;
            }
        }
        if (acked) {
            acked(member);
        }
    }

    /** The member acknowledged something: it is reachable. Any thread. */
    private void acked(PeerKey member) {
        RoomMember back = null;
        synchronized (this) {
            MemberStatus s = status.get(member);
            if (s == null) {
                return;
            }
            s.lastAck = net.nanoTime();
            if (s.failed) {
                s.failed = false;
                MemberRecord r = view.member(member);
                back = r == null ? null : member(r);
            }
        }
        if (back != null) {
            RoomMember m = back;
            net.execute(lane, () -> net.listener().onMemberJoined(name, m));
        }
    }

    // ---- leaving ----

    @Override
    public CompletionStage<Void> leave() {
        List<MemberRecord> tell;
        byte[] announce;
        synchronized (this) {
            if (left) {
                return CompletableFuture.completedFuture(null);
            }
            left = true;
            self = MemberRecord.sign(id, net.signer(), self.incarnation(), MemberRecord.LEFT,
                    self.name(), self.address(), self.admission());
            announce = RoomControl.announce(self);
            tell = forwardTargets(self.key(), self.key());
            if (tick != null) {
                tick.cancel(false);
            }
        }
        rooms.removed(this);
        List<CompletableFuture<Void>> told = new ArrayList<>();
        for (MemberRecord r : tell) {
            told.add(net.send(r.key(), r.name(), r.address(), RoomNet.KIND_CONTROL, announce)
                    .toCompletableFuture().exceptionally(e -> null));
        }
        return CompletableFuture.allOf(told.toArray(new CompletableFuture<?>[0]));
    }

    /** The node is closing: stop the timer; what is queued still goes out during the linger. */
    void stop() {
        synchronized (this) {
            if (tick != null) {
                tick.cancel(false);
            }
        }
    }

    synchronized boolean hasLeft() {
        return left;
    }

    // ---- snapshots ----

    @Override
    public List<RoomMember> members() {
        List<RoomMember> out = new ArrayList<>();
        synchronized (this) {
            for (MemberRecord r : view.members()) {
                out.add(member(r));
            }
        }
        out.sort(Comparator.comparing(RoomMember::name));
        return List.copyOf(out);
    }

    /** The member with this name here, or null. */
    synchronized MemberRecord memberNamed(String memberName) {
        for (MemberRecord r : view.members()) {
            if (labelOf(r).equals(memberName) && !r.key().equals(self.key())) {
                return r;
            }
        }
        return null;
    }

    /** The record of a member here, or null. */
    synchronized MemberRecord memberRecord(PeerKey key) {
        return view.member(key);
    }

    /** De-duplication state size, for tests: origins plus messages held. */
    int sequencerStateSize() {
        return sequencer.stateSize();
    }

    /** Lock held. */
    private RoomMember member(MemberRecord r) {
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

    private synchronized String labelOf(MemberRecord r) {
        return view.label(r);
    }

    private void sendControl(MemberRecord to, byte[] body) {
        net.send(to.key(), to.name(), to.address(), RoomNet.KIND_CONTROL, body)
                .whenComplete((v, e) -> {
                    if (e == null) {
                        acked(to.key());
                    }
                });
    }

    private void fire(Runnable event) {
        net.execute(lane, () -> {
            try {
                event.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: the listener threw on an event in #{}", net.selfName(), name, e);
            }
        });
    }

    @Override
    public String toString() {
        return "Room[#" + name + " " + id + "]";
    }
}
