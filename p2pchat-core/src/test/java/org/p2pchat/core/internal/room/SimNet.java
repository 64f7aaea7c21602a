package org.p2pchat.core.internal.room;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.core.internal.runtime.ManualScheduler;
import org.p2pchat.core.internal.session.Ed25519;
import org.p2pchat.testkit.ManualTicker;

/**
 * An in-memory network of simulated peers for the room tests, on one thread the test drives.
 * Every ordered pair of peers has a link: a FIFO queue of frames, reliable, each acknowledged
 * (its stage completed) when it is delivered. A cut pair delivers nothing either way: frames
 * wait, and fail with {@link DeliveryTimeoutException} once they have waited the delivery
 * timeout. Lane tasks ({@link RoomNet#execute}) wait in a FIFO queue per peer and lane. Each
 * {@link #step} runs one thing chosen at random among the frames at the head of an open link
 * and the tasks at the head of a lane: a seeded random interleaving, FIFO within each link and
 * lane. Time moves only in {@link #advance}, on a {@link ManualScheduler} all peers share.
 */
final class SimNet {
    static final Duration DIGEST_INTERVAL = Duration.ofSeconds(1);
    static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    static final long EPOCH_MILLIS = 1_700_000_000_000L;
    private static final Duration SLICE = Duration.ofMillis(100);

    final ManualTicker ticker = new ManualTicker();
    final ManualScheduler timer = new ManualScheduler(ticker);
    final Random random;
    final List<SimPeer> peers = new ArrayList<>();
    private final Map<Link, ArrayDeque<Frame>> links = new LinkedHashMap<>();
    private final Map<Lane, ArrayDeque<Runnable>> lanes = new LinkedHashMap<>();
    private final Set<Set<SimPeer>> cuts = new HashSet<>();
    /** How the posts sent on a link are changed on the way, for forgery tests. */
    private final Map<Link, java.util.function.UnaryOperator<byte[]>> tampers = new HashMap<>();
    /** Every post body sent, by sender, for tests that take one apart. */
    final List<Frame> sentPosts = new ArrayList<>();
    long steps;

    private record Link(SimPeer from, SimPeer to) {
    }

    private record Lane(SimPeer peer, Object lane) {
    }

    /** A frame in flight. */
    record Frame(SimPeer from, SimPeer to, byte kind, byte[] body, CompletableFuture<Void> ack,
            long sentAt) {
    }

    SimNet(long seed) {
        this.random = new Random(seed);
    }

    SimPeer peer(String name) {
        SimPeer p = new SimPeer(this, name, peers.size() + 1);
        peers.add(p);
        return p;
    }

    SimPeer byKey(PeerKey key) {
        for (SimPeer p : peers) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }

    // ---- the network ----

    CompletableFuture<Void> send(SimPeer from, PeerKey to, byte kind, byte[] body) {
        if (from.dead) {
            return new CompletableFuture<>(); // a process that ended sends nothing
        }
        SimPeer target = byKey(to);
        if (target == null) {
            return CompletableFuture.failedFuture(new PeerUnreachableException("no peer " + to));
        }
        byte[] sent = body.clone();
        java.util.function.UnaryOperator<byte[]> tamper = tampers.get(new Link(from, target));
        if (tamper != null && kind == RoomNet.KIND_POST) {
            sent = tamper.apply(sent);
        }
        Frame f = new Frame(from, target, kind, sent, new CompletableFuture<>(),
                ticker.nanoTime());
        links.computeIfAbsent(new Link(from, target), k -> new ArrayDeque<>()).add(f);
        if (kind == RoomNet.KIND_POST) {
            sentPosts.add(f);
        }
        return f.ack;
    }

    /** Changes every post {@code from} sends {@code to} from now on; null stops it. */
    void tamper(SimPeer from, SimPeer to, java.util.function.UnaryOperator<byte[]> how) {
        if (how == null) {
            tampers.remove(new Link(from, to));
        } else {
            tampers.put(new Link(from, to), how);
        }
    }

    /**
     * A peer's process ends at once and a new one starts with the same identity, address and
     * store (a crash and a restart): what waited on its links and lanes is gone, and it is in
     * no room.
     */
    SimPeer restart(SimPeer old) {
        int at = peers.indexOf(old);
        old.dead = true;
        links.keySet().removeIf(l -> l.from() == old || l.to() == old);
        lanes.keySet().removeIf(l -> l.peer() == old);
        SimPeer p = new SimPeer(this, old.name, at + 1, old.store);
        p.catchUp = old.catchUp;
        peers.set(at, p);
        return p;
    }

    /** Puts a frame on a link as if {@code from} had sent it, for forgery tests. */
    CompletableFuture<Void> inject(SimPeer from, SimPeer to, byte kind, byte[] body) {
        return send(from, to.key, kind, body);
    }

    CompletionStage<PeerKey> reach(SimPeer from, PeerAddress address) {
        CompletableFuture<PeerKey> f = new CompletableFuture<>();
        execute(from, "reach", () -> {
            for (SimPeer p : peers) {
                if (p.address.equals(address) && !isCut(from, p)) {
                    f.complete(p.key);
                    return;
                }
            }
            f.completeExceptionally(new PeerUnreachableException("nothing answers at " + address));
        });
        return f;
    }

    boolean connected(SimPeer from, PeerKey to) {
        SimPeer p = byKey(to);
        return p != null && !isCut(from, p);
    }

    void execute(SimPeer peer, Object lane, Runnable task) {
        if (peer.dead) {
            return;
        }
        lanes.computeIfAbsent(new Lane(peer, lane), k -> new ArrayDeque<>()).add(task);
    }

    boolean isCut(SimPeer a, SimPeer b) {
        return cuts.contains(Set.of(a, b));
    }

    void cut(SimPeer a, SimPeer b) {
        cuts.add(Set.of(a, b));
    }

    void heal(SimPeer a, SimPeer b) {
        cuts.remove(Set.of(a, b));
    }

    /** Cuts a peer off from every other. */
    void isolate(SimPeer p) {
        for (SimPeer q : peers) {
            if (q != p) {
                cut(p, q);
            }
        }
    }

    void healAll() {
        cuts.clear();
    }

    /** How many room messages wait on the link from one peer to another. */
    int postsWaiting(SimPeer from, SimPeer to) {
        int n = 0;
        for (Map.Entry<Link, ArrayDeque<Frame>> e : links.entrySet()) {
            if (e.getKey().from() == from && e.getKey().to() == to) {
                for (Frame f : e.getValue()) {
                    n += f.kind() == RoomNet.KIND_POST ? 1 : 0;
                }
            }
        }
        return n;
    }

    /** How many frames wait on links, delivered or not. */
    int framesInFlight() {
        int n = 0;
        for (ArrayDeque<Frame> q : links.values()) {
            n += q.size();
        }
        return n;
    }

    // ---- driving ----

    /**
     * Runs one frame delivery or lane task, chosen at random.
     *
     * @return false if there was nothing to run
     */
    boolean step() {
        List<Object> ready = new ArrayList<>();
        for (Map.Entry<Link, ArrayDeque<Frame>> e : links.entrySet()) {
            if (!e.getValue().isEmpty() && !isCut(e.getKey().from(), e.getKey().to())) {
                ready.add(e.getValue());
            }
        }
        for (ArrayDeque<Runnable> q : lanes.values()) {
            if (!q.isEmpty()) {
                ready.add(q);
            }
        }
        if (ready.isEmpty()) {
            return false;
        }
        steps++;
        ArrayDeque<?> q = (ArrayDeque<?>) ready.get(random.nextInt(ready.size()));
        Object head = q.poll();
        if (head instanceof Frame f) {
            f.to.rooms.received(f.from.key, f.kind, f.body.clone(), () -> { });
            f.ack.complete(null);
        } else {
            ((Runnable) head).run();
        }
        return true;
    }

    /** Runs up to {@code n} steps. */
    void run(int n) {
        for (int i = 0; i < n && step(); i++) {
            // stepping
        }
    }

    /** Runs until nothing is left to run (frames on cut links wait). */
    void drain() {
        for (int i = 0; step(); i++) {
            if (i > 5_000_000) {
                throw new AssertionError("the simulation does not settle");
            }
        }
    }

    /** Moves time on in slices of 100 ms, draining everything after each. */
    void advance(Duration by) {
        drain();
        for (long done = 0; done < by.toNanos(); done += SLICE.toNanos()) {
            timer.advance(SLICE);
            expire();
            drain();
        }
    }

    private void expire() {
        long now = ticker.nanoTime();
        for (ArrayDeque<Frame> q : links.values()) {
            while (!q.isEmpty() && now - q.peek().sentAt >= DELIVERY_TIMEOUT.toNanos()) {
                Frame f = q.poll();
                f.ack.completeExceptionally(new DeliveryTimeoutException("not acknowledged by "
                        + f.to.name + " within " + DELIVERY_TIMEOUT, true, null));
            }
        }
    }

    // ---- a simulated peer ----

    /** One simulated peer: its identity, its rooms, and what its listener was told. */
    static final class SimPeer implements RoomNet {
        /** Where its rooms' history goes: the in-memory store, as in a peer with none chosen. */
        final org.p2pchat.spi.MessageStore store;
        final SimNet net;
        final String name;
        final PeerAddress address;
        final Ed25519.Keys keys;
        final PeerKey key;
        final Recorder heard = new Recorder();
        final List<String> forgeries = new ArrayList<>();
        final Rooms rooms;
        /** What this peer's rooms keep to catch others up; set before a room is made. */
        CatchUpLimits catchUp = CatchUpLimits.DEFAULT;
        /** Set when its process ended ({@link SimNet#restart}): it runs and sends nothing more. */
        boolean dead;

        SimPeer(SimNet net, String name, int n) {
            this(net, name, n, new org.p2pchat.core.internal.store.MemoryStore());
        }

        SimPeer(SimNet net, String name, int n, org.p2pchat.spi.MessageStore store) {
            this.store = store;
            this.net = net;
            this.name = name;
            this.address = new PeerAddress("10.0.0." + n, 7000 + n);
            this.keys = RoomFixtures.keys(1000 + n);
            this.key = Ed25519.peerKeyOf(keys.publicKey());
            this.rooms = new Rooms(this, new Random(n * 31L), (room, from, why) ->
                    forgeries.add(room + " from " + from.fingerprint() + ": " + why));
        }

        @Override
        public String selfName() {
            return name;
        }

        @Override
        public PeerAddress selfAddress() {
            return address;
        }

        @Override
        public PeerKey selfKey() {
            return key;
        }

        @Override
        public Ed25519.Keys signer() {
            return keys;
        }

        @Override
        public CompletionStage<Void> send(PeerKey member, String label, PeerAddress at, byte kind,
                byte[] body) {
            return net.send(this, member, kind, body);
        }

        @Override
        public CompletionStage<PeerKey> reach(PeerAddress at) {
            return net.reach(this, at);
        }

        @Override
        public boolean connected(PeerKey other) {
            return net.connected(this, other);
        }

        @Override
        public void execute(Object lane, Runnable task) {
            net.execute(this, lane, task);
        }

        @Override
        public ScheduledExecutorService timer() {
            return net.timer;
        }

        @Override
        public long nanoTime() {
            return net.ticker.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return EPOCH_MILLIS + net.ticker.nanoTime() / 1_000_000;
        }

        @Override
        public MessageListener listener() {
            return heard;
        }

        @Override
        public Duration digestInterval() {
            return DIGEST_INTERVAL;
        }

        @Override
        public Duration failureTimeout() {
            return FAILURE_TIMEOUT;
        }

        @Override
        public Duration deliveryTimeout() {
            return DELIVERY_TIMEOUT;
        }

        @Override
        public org.p2pchat.spi.MessageStore store() {
            return store;
        }

        @Override
        public CatchUpLimits catchUpLimits() {
            return catchUp;
        }

        @Override
        public int maxBodyBytes() {
            return 16 * 1024;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What a peer's listener was told, in order. */
    static final class Recorder implements MessageListener {
        final List<RoomMessage> messages = new ArrayList<>();
        /** "joined name", "left name", "failed name", in order. */
        final List<String> events = new ArrayList<>();
        final List<RoomMember> members = new ArrayList<>();

        @Override
        public void onMessage(org.p2pchat.api.ChatMessage message) {
            throw new AssertionError("no direct messages in room tests");
        }

        @Override
        public void onRoomMessage(RoomMessage message) {
            messages.add(message);
        }

        @Override
        public void onMemberJoined(String room, RoomMember member) {
            events.add("joined " + member.name());
            members.add(member);
        }

        @Override
        public void onMemberLeft(String room, RoomMember member) {
            events.add("left " + member.name());
            members.add(member);
        }

        @Override
        public void onMemberFailed(String room, RoomMember member) {
            events.add("failed " + member.name());
            members.add(member);
        }

        long count(String event) {
            return events.stream().filter(event::equals).count();
        }

        /** The seqs of the messages heard from an origin, in the order heard. */
        List<Long> seqsFrom(PeerKey origin) {
            List<Long> out = new ArrayList<>();
            for (RoomMessage m : messages) {
                if (m.fromKey().equals(origin)) {
                    out.add(m.id().seq());
                }
            }
            return out;
        }
    }
}
