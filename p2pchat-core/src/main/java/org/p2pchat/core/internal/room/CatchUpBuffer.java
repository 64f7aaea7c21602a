package org.p2pchat.core.internal.room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.p2pchat.api.PeerKey;

/**
 * The room messages this member delivered or published lately, as signed by their origins, kept
 * to be sent again to a member that missed them: one rejoining after a restart, or one left
 * behind by a partition (PROTOCOL.md, "Catching up"). Only messages whose signature was checked
 * (or that this member signed) are added, and they are sent again unchanged, so no member can
 * pass a forgery through it.
 *
 * <p>Bounded by {@link CatchUpLimits}: at most {@code count} messages and {@code bytes} bytes
 * (each message counting its encoded size plus {@link #ENTRY_OVERHEAD}) per room, none older
 * than {@code age} since it was added here; the message added first goes first. The budget is
 * made before a message is kept; a message larger than the whole budget is not kept. Messages
 * of an origin's older incarnation are dropped once a newer one is added.
 *
 * <p>Each origin's messages are added in their order (the sequencer releases them so), so an
 * origin's messages held form runs of consecutive numbers, separated where this member gave up
 * on a gap. Guarded by its room's lock.
 */
final class CatchUpBuffer {
    /** What a kept message costs besides its bytes: the objects that keep it. */
    static final int ENTRY_OVERHEAD = 100;

    private record Kept(PeerKey origin, long incarnation, long seq, long cost, long addedAt) {
    }

    /** One origin's messages of one incarnation, by number. */
    private static final class Run {
        final long incarnation;
        final TreeMap<Long, RoomPost> posts = new TreeMap<>();

        Run(long incarnation) {
            this.incarnation = incarnation;
        }
    }

    private final CatchUpLimits limits;
    /** Every kept message in the order added: the oldest is dropped first. */
    private final ArrayDeque<Kept> order = new ArrayDeque<>();
    private final Map<PeerKey, Run> runs = new HashMap<>();
    private long bytes;

    CatchUpBuffer(CatchUpLimits limits) {
        this.limits = limits;
    }

    /**
     * Keeps a message this member delivered or published; dropped at once if the bounds allow
     * none, or it is of an incarnation older than one kept, or kept already.
     *
     * @param post a message whose signature holds
     * @param now the ticker's time
     */
    void add(RoomPost post, long now) {
        long cost = (long) post.encoded().length + ENTRY_OVERHEAD;
        PeerKey origin = post.originKey();
        if (limits.count() == 0 || cost > limits.bytes() || origin == null) {
            return;
        }
        Run run = runs.get(origin);
        if (run != null && run.incarnation != post.incarnation()) {
            if (post.incarnation() < run.incarnation) {
                return;
            }
            forget(origin);
            run = null;
        }
        if (run != null && run.posts.containsKey(post.seq())) {
            return;
        }
        expire(now);
        while (!order.isEmpty() && (order.size() >= limits.count() || bytes + cost > limits.bytes())) {
            dropOldest();
        }
        // Dropping may have emptied and removed this origin's run.
        run = runs.computeIfAbsent(origin, k -> new Run(post.incarnation()));
        run.posts.put(post.seq(), post);
        order.addLast(new Kept(origin, post.incarnation(), post.seq(), cost, now));
        bytes += cost;
    }

    /**
     * The lowest number {@code s} such that every message of an origin's incarnation from
     * {@code s} up to, not including, {@code end} is kept; {@code end} itself if the one before
     * it is not. From there on this member can send a member what it lacks without a gap.
     */
    long runStart(PeerKey origin, long incarnation, long end, long now) {
        expire(now);
        Run run = runs.get(origin);
        if (run == null || run.incarnation != incarnation) {
            return end;
        }
        long start = end;
        while (start > 1 && run.posts.containsKey(start - 1)) {
            start--;
        }
        return start;
    }

    /**
     * The messages kept of an origin's incarnation numbered from {@code from} up to, not
     * including, {@code to}, in order, at most {@code maxPosts} of them and, past the first, at
     * most {@code maxBytes} of encoded bytes together.
     */
    List<RoomPost> range(PeerKey origin, long incarnation, long from, long to, int maxPosts,
            long maxBytes, long now) {
        expire(now);
        List<RoomPost> out = new ArrayList<>();
        Run run = runs.get(origin);
        if (run == null || run.incarnation != incarnation || from >= to) {
            return out;
        }
        long taken = 0;
        for (RoomPost p : run.posts.subMap(from, true, to, false).values()) {
            int size = p.encoded().length;
            if (out.size() >= maxPosts || !out.isEmpty() && taken + size > maxBytes) {
                break;
            }
            out.add(p);
            taken += size;
        }
        return out;
    }

    /** The view forgot a former member: its messages go too. */
    void forget(PeerKey origin) {
        Run run = runs.remove(origin);
        if (run == null) {
            return;
        }
        for (Iterator<Kept> it = order.iterator(); it.hasNext(); ) {
            Kept k = it.next();
            if (k.origin().equals(origin)) {
                bytes -= k.cost();
                it.remove();
            }
        }
    }

    /** Drops the messages kept longer than the age bound. */
    void expire(long now) {
        long age = limits.age().toNanos();
        while (!order.isEmpty() && now - order.peekFirst().addedAt() > age) {
            dropOldest();
        }
    }

    private void dropOldest() {
        Kept k = order.pollFirst();
        bytes -= k.cost();
        Run run = runs.get(k.origin());
        if (run != null && run.incarnation == k.incarnation()) {
            run.posts.remove(k.seq());
            if (run.posts.isEmpty()) {
                runs.remove(k.origin());
            }
        }
    }

    /** How many messages are kept. */
    int size() {
        return order.size();
    }

    /** The bytes the kept messages count for. */
    long bytes() {
        return bytes;
    }
}
