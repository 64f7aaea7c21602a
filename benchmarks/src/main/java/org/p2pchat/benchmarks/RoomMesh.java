package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.internal.node.ChatNode;

/**
 * Five p2pchat peers, "a" to "e", on 127.0.0.1 over {@code nio}, all members of one
 * {@link RoomAccess#OPEN open} room, used the way an application would: A calls
 * {@link Room#publish}, the listeners of B to E count what {@link MessageListener#onRoomMessage}
 * hands them. A's methods run on the benchmark thread.
 *
 * <p>A message is <i>delivered</i> once all four other members' listeners have it. A keeps at
 * most a window of messages published and not yet delivered, waiting (parked, see
 * {@link Arrivals}) until every member has caught up to half the window before it publishes more;
 * it also keeps the publish stages in a {@link PendingSends} and polls them, so a stage that
 * fails is reported, and every wait is bounded.
 *
 * <p>{@link #drain} waits until the mesh is quiet: every publish stage completed (every member
 * acknowledged A's copy) and every peer's outbox to every other member empty (the copies the
 * members forwarded to each other acknowledged too), so no work of one measurement spills into
 * the next.
 */
final class RoomMesh implements AutoCloseable {
    /** The members; A publishes, the others count. */
    static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    static final String ROOM = "bench";
    /** As {@link PeerLink#DELIVERY_TIMEOUT}: a stuck message fails before a wait gives up. */
    static final Duration DELIVERY_TIMEOUT = PeerLink.DELIVERY_TIMEOUT;
    private static final long QUIET_WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long CLOSE_WAIT_SECONDS = 15;

    private final String text;
    private final int window;
    private final List<Peer> peers = new ArrayList<>();
    private final List<Arrivals> members = new ArrayList<>();
    private final PendingSends pending;
    private Room room;
    private long published;

    private RoomMesh(String text, int window) {
        this.text = text;
        this.window = window;
        this.pending = new PendingSends("publishes of a", 2 * window + 1);
    }

    /**
     * Starts the five peers, makes A's room, has the others join (B and E through A, C through B,
     * D through C), waits until every peer holds a connection to every other member, and sends
     * one message through the mesh.
     *
     * @param text each message's text
     * @param window the most messages published and not yet delivered to every member
     * @return the open mesh
     */
    static RoomMesh open(String text, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("expected a window of 1 or more, got " + window);
        }
        RoomMesh mesh = new RoomMesh(text, window);
        try {
            mesh.start();
            return mesh;
        } catch (RuntimeException | Error e) {
            mesh.close();
            throw e;
        }
    }

    private void start() {
        for (String name : NAMES) {
            Arrivals arrivals = new Arrivals("room messages seen by " + name + "'s listener");
            Peer p = P2pChat.builder(name)
                    .transport("nio")
                    .listenOn(PeerAddress.loopback(0))
                    .outboxLimitBytes(PeerLink.OUTBOX_LIMIT_BYTES)
                    .receiveWindowBytes(PeerLink.RECEIVE_WINDOW_BYTES)
                    .deliveryTimeout(DELIVERY_TIMEOUT)
                    .idleTimeout(Duration.ZERO)
                    .listener(new Counting(arrivals))
                    .start();
            peers.add(p);
            if (!name.equals("a")) {
                members.add(arrivals);
            }
        }
        room = peers.get(0).createRoom(ROOM, RoomAccess.OPEN);
        join(1, 0);
        join(2, 1);
        join(3, 2);
        join(4, 0);
        awaitFullMesh();
        publishAll(1);
        drain();
    }

    private void join(int joiner, int through) {
        CompletableFuture<Room> joined = peers.get(joiner)
                .joinRoom(ROOM, peers.get(through).listenAddress()).toCompletableFuture();
        try {
            joined.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(NAMES.get(joiner) + " could not join #" + ROOM
                    + " through " + NAMES.get(through), e);
        }
    }

    /** Every peer sees five members, each other one over an open connection. */
    private void awaitFullMesh() {
        long start = System.nanoTime();
        while (!fullMesh()) {
            if (System.nanoTime() - start > QUIET_WAIT_NANOS) {
                StringBuilder views = new StringBuilder();
                for (Peer p : peers) {
                    views.append(' ').append(p.name()).append('=')
                            .append(p.room(ROOM).map(Room::members).orElse(List.of()));
                }
                throw new IllegalStateException("the room's members never all connected:" + views);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private boolean fullMesh() {
        for (Peer p : peers) {
            List<RoomMember> view = p.room(ROOM).map(Room::members).orElse(List.of());
            if (view.size() != NAMES.size()) {
                return false;
            }
            for (RoomMember m : view) {
                if (m.state() != MemberState.SELF && m.state() != MemberState.CONNECTED) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Publishes messages from A and returns once every other member's listener has them all; at
     * most the window is published and not yet delivered.
     *
     * @param messages how many to publish
     * @throws IllegalStateException if a publish fails, or a member stops receiving
     */
    void publishAll(int messages) {
        long end = published + messages;
        while (published < end) {
            if (published - delivered() >= window) {
                awaitDelivered(published - window / 2);
            }
            if (pending.isFull()) {
                pending.poll();
                if (pending.isFull()) {
                    pending.awaitHalf();
                }
            }
            publishOne();
        }
        awaitDelivered(published);
        pending.poll(); // reports a failed stage; forgets the completed ones
    }

    /**
     * Publishes one message from A and returns once the last of the four other members'
     * listeners has it: the publish-to-last-delivery latency.
     */
    void publishAndAwaitLast() {
        publishOne();
        awaitDelivered(published);
    }

    private void publishOne() {
        CompletableFuture<?> stage = room.publish(text).toCompletableFuture();
        if (stage.isCompletedExceptionally()) {
            try {
                stage.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("publish refused", e.getCause());
            }
        }
        pending.add(stage);
        published++;
    }

    /** The number of messages every other member's listener has. */
    private long delivered() {
        long min = Long.MAX_VALUE;
        for (Arrivals m : members) {
            min = Math.min(min, m.get());
        }
        return min;
    }

    private void awaitDelivered(long target) {
        for (Arrivals m : members) {
            m.awaitAtLeast(target);
        }
    }

    /**
     * Waits until nothing is in flight: every message delivered, every publish stage completed,
     * and no peer holds an unacknowledged frame for another member (forwarded copies, digests).
     *
     * @throws IllegalStateException if a stage failed, or the mesh is not quiet within 20 s
     */
    void drain() {
        awaitDelivered(published);
        pending.awaitSettled(pending.added());
        long start = System.nanoTime();
        while (!quiet()) {
            if (System.nanoTime() - start > QUIET_WAIT_NANOS) {
                throw new IllegalStateException("the room's outboxes never emptied: " + outboxes());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private boolean quiet() {
        for (Peer p : peers) {
            ChatNode node = (ChatNode) p;
            for (String other : NAMES) {
                if (!other.equals(p.name()) && node.probe().outboxBytes(other) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private String outboxes() {
        StringBuilder out = new StringBuilder();
        for (Peer p : peers) {
            ChatNode node = (ChatNode) p;
            for (String other : NAMES) {
                if (!other.equals(p.name())) {
                    out.append(p.name()).append("->").append(other).append('=')
                            .append(node.probe().outboxBytes(other)).append(' ');
                }
            }
        }
        return out.toString().trim();
    }

    /**
     * Closes the five peers: every member leaves the room first (bounded wait), then each peer is
     * closed on a helper thread and waited for at most {@value #CLOSE_WAIT_SECONDS} s.
     *
     * <p>Why so careful: closing a member while the others still hold the room has been seen to
     * deadlock a remaining member (its callback thread in {@code ChatRoom.onRecord}, holding the
     * room's lock and asking a {@code FriendLink} for its state; its event loop disposing that
     * link, holding the link's lock and asking the room for the member's record). Leaving first
     * keeps the room out of the link's disposal; if a close still hangs, the deadlocked threads
     * are printed and the fork goes on (p2pchat's threads are daemons), rather than hanging JMH.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> leaves = new ArrayList<>();
        for (Peer p : peers) {
            p.room(ROOM).ifPresent(r -> leaves.add(r.leave().toCompletableFuture()));
        }
        try {
            CompletableFuture.allOf(leaves.toArray(new CompletableFuture<?>[0]))
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("[rooms] not every leave completed within 5 s: " + e);
        }
        // Lets each member's lane handle the others' leaves before links start closing.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        for (Peer p : peers) {
            closeBounded(p);
        }
        peers.clear();
    }

    private static void closeBounded(Peer p) {
        Thread closer = new Thread(p::close, "room-bench-close-" + p.name());
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            System.out.println("[rooms] " + p.name() + ".close() still running after "
                    + CLOSE_WAIT_SECONDS + " s; deadlocked threads: " + deadlocked());
        }
    }

    private static String deadlocked() {
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(ids, true, true)) {
            out.append('\n').append(t);
        }
        return out.toString();
    }

    /** Counts room messages; direct messages are not expected here. */
    private static final class Counting implements MessageListener {
        private final Arrivals arrivals;

        Counting(Arrivals arrivals) {
            this.arrivals = arrivals;
        }

        @Override
        public void onMessage(ChatMessage message) {
        }

        @Override
        public void onRoomMessage(RoomMessage message) {
            arrivals.add(1);
        }
    }
}
