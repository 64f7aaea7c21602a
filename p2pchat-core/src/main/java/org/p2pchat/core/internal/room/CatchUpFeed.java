package org.p2pchat.core.internal.room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.PeerKey;

/**
 * Sends members the room messages they missed, taken from the room's {@link CatchUpBuffer}, as
 * ordinary room messages (PROTOCOL.md, "Catching up"): a member rejoining after a restart, right
 * after its WELCOME, and a member a partition left behind, after its positions showed it. Each
 * member has at most one batch in flight ({@link #BATCH_POSTS} messages, {@link #BATCH_BYTES}
 * bytes), so that a catch-up never fills the member's outbox; the next batch goes once every
 * message of the previous one was acknowledged, and the plan ends when one fails (the member's
 * next positions start a new one) or the member is no longer the one planned for.
 *
 * <p>Plans are made and batches taken with the room's lock held; batches are sent with it
 * released. Acknowledgements come on the network's threads; the next batch is taken in the
 * room's lane.
 */
final class CatchUpFeed {
    /** The most messages of one batch. */
    static final int BATCH_POSTS = 128;
    /** The most bytes of one batch (past its first message). */
    static final long BATCH_BYTES = 256 * 1024;

    /** Messages of an origin's incarnation numbered from {@code from} up to, not including, {@code to}. */
    record Range(PeerKey origin, long incarnation, long from, long to) {
    }

    private static final class Plan {
        final MemberRecord to;
        final ArrayDeque<Range> ranges;

        Plan(MemberRecord to, List<Range> ranges) {
            this.to = to;
            this.ranges = new ArrayDeque<>(ranges);
        }
    }

    private final RoomState room;
    private final RoomNet net;
    private final RoomOutbox outbox;
    /** The plans under way, by member; guarded by the room's lock. */
    private final Map<PeerKey, Plan> plans = new HashMap<>();

    CatchUpFeed(RoomState room, RoomOutbox outbox) {
        this.room = room;
        this.net = room.net;
        this.outbox = outbox;
    }

    /**
     * Lock held: plans to send a member these ranges and returns the first batch, to be sent with
     * {@link #send} once the lock is released.
     *
     * @param to the member
     * @param ranges what it lacks
     * @param replace whether this plan replaces one under way (a member that joined again);
     *     otherwise a plan under way to the same record stands, and nothing is planned
     * @return the first batch, maybe empty
     */
    List<RoomPost> plan(MemberRecord to, List<Range> ranges, boolean replace) {
        Plan under = plans.get(to.key());
        if (ranges.isEmpty() || under != null && !replace
                && under.to.incarnation() == to.incarnation()) {
            return List.of();
        }
        Plan p = new Plan(to, ranges);
        plans.put(to.key(), p);
        return take(p);
    }

    /** Lock held: whether a plan to this member is under way. */
    boolean planned(PeerKey member) {
        return plans.containsKey(member);
    }

    /**
     * Sends a batch to a member, lock released; once every message of it settled, the next one
     * is taken in the room's lane.
     */
    void send(MemberRecord to, List<RoomPost> batch) {
        if (batch.isEmpty()) {
            return;
        }
        AtomicInteger left = new AtomicInteger(batch.size());
        AtomicBoolean failed = new AtomicBoolean();
        for (RoomPost p : batch) {
            outbox.send(to, RoomNet.KIND_POST, p.encoded()).whenComplete((v, e) -> {
                if (e == null) {
                    outbox.acked(to.key());
                } else {
                    failed.set(true);
                }
                if (left.decrementAndGet() == 0) {
                    // Not sent from here: the link calls this with its own state in hand.
                    net.execute(room.lane, () -> next(to, !failed.get()));
                }
            });
        }
    }

    private void next(MemberRecord to, boolean acknowledged) {
        List<RoomPost> batch;
        synchronized (room) {
            Plan p = plans.get(to.key());
            if (p == null || p.to != to) {
                return;
            }
            MemberRecord now = room.view.member(to.key());
            if (!acknowledged || room.left || now == null
                    || now.incarnation() != to.incarnation()) {
                plans.remove(to.key());
                return;
            }
            batch = take(p);
        }
        send(to, batch);
    }

    /** Lock held: the next batch of a plan; the plan ends when nothing is left. */
    private List<RoomPost> take(Plan p) {
        List<RoomPost> batch = new ArrayList<>();
        long bytes = 0;
        long now = net.nanoTime();
        while (!p.ranges.isEmpty() && batch.size() < BATCH_POSTS && bytes < BATCH_BYTES) {
            Range r = p.ranges.peekFirst();
            List<RoomPost> some = room.backlog.range(r.origin(), r.incarnation(), r.from(), r.to(),
                    BATCH_POSTS - batch.size(), batch.isEmpty() ? BATCH_BYTES : BATCH_BYTES - bytes,
                    now);
            if (some.isEmpty()) {
                p.ranges.pollFirst();
                continue;
            }
            if (!batch.isEmpty() && bytes + some.get(0).encoded().length > BATCH_BYTES) {
                break; // a range's first message is taken whatever its size: not here
            }
            for (RoomPost post : some) {
                bytes += post.encoded().length;
            }
            batch.addAll(some);
            long after = some.get(some.size() - 1).seq() + 1;
            p.ranges.pollFirst();
            if (after < r.to()) {
                p.ranges.addFirst(new Range(r.origin(), r.incarnation(), after, r.to()));
            }
        }
        if (batch.isEmpty()) {
            plans.remove(p.to.key());
        }
        return batch;
    }
}
