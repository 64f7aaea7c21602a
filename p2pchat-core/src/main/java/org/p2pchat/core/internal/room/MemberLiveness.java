package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room's timer (PROTOCOL.md, "Digests and failure"): every {@code digestInterval} each member
 * is sent a digest of the records held, unless the previous one is still on its way; a member
 * that acknowledged nothing for {@code failureTimeout} is reported failed (and joined again by
 * {@link RoomOutbox#acked} when it answers); a gap waited for longer than the delivery timeout is
 * given up, and the messages behind it delivered.
 *
 * <p>The timer's round runs in the room's lane. What it decides is taken in one hold of the
 * room's lock; sends and events follow with the lock released.
 */
final class MemberLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(MemberLiveness.class);

    private final RoomState room;
    private final RoomNet net;
    private final RoomOutbox outbox;
    private final PostFlood posts;
    private ScheduledFuture<?> tick;

    MemberLiveness(RoomState room, RoomOutbox outbox, PostFlood posts) {
        this.room = room;
        this.net = room.net;
        this.outbox = outbox;
        this.posts = posts;
    }

    /** Starts the digests and failure checks, the first one interval from now. */
    void start() {
        long period = net.digestInterval().toNanos();
        tick = net.timer().scheduleWithFixedDelay(() -> net.execute(room.lane, this::tick), period,
                period, TimeUnit.NANOSECONDS);
    }

    /** Lock held: stops the timer. */
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }

    private void tick() {
        List<MemberRecord> digestTo = new ArrayList<>();
        List<Runnable> events = new ArrayList<>();
        byte[] digest;
        byte[] positions;
        List<RoomPost> released;
        List<MemberRecord> everyone;
        long now = net.nanoTime();
        synchronized (room) {
            if (room.left) {
                return;
            }
            digest = RoomControl.digest(room.id, room.view.records());
            long failAfter = net.failureTimeout().toNanos();
            for (MemberRecord r : room.view.members()) {
                if (r.key().equals(room.self.key())) {
                    continue;
                }
                MemberStatus s = room.status.computeIfAbsent(r.key(), k -> new MemberStatus(now));
                if (!s.digestPending) {
                    s.digestPending = true;
                    digestTo.add(r);
                }
                if (!s.failed && now - s.lastAck > failAfter) {
                    s.failed = true;
                    RoomMember m = room.member(r);
                    events.add(() -> net.listener().onMemberFailed(room.name, m));
                }
            }
            released = room.sequencer.skipGapsOlderThan(now - net.deliveryTimeout().toNanos());
            for (RoomPost p : released) {
                room.backlog.add(p, now);
            }
            room.backlog.expire(now);
            List<RoomSequencer.Position> mine = room.positions();
            positions = RoomControl.positions(room.id, mine.size() > RoomControl.MAX_POSITIONS
                    ? mine.subList(0, RoomControl.MAX_POSITIONS) : mine);
            everyone = room.forwardTargets(room.self.key(), room.self.key());
        }
        if (!released.isEmpty()) {
            LOG.warn("{}: #{}: gave up waiting for messages missing before {} others",
                    net.selfName(), room.name, released.size());
            posts.deliverReleased(released, everyone);
        }
        for (MemberRecord r : digestTo) {
            outbox.send(r, RoomNet.KIND_CONTROL, digest)
                    .whenComplete((v, e) -> digestSettled(r.key(), e == null));
            // Right behind the digest, and only when it goes: at most one of each in flight.
            outbox.sendControl(r, positions);
        }
        for (Runnable e : events) {
            outbox.fire(e);
        }
    }

    private void digestSettled(PeerKey member, boolean acked) {
        synchronized (room) {
            MemberStatus s = room.status.get(member);
            if (s != null) {
                s.digestPending = false;
            }
        }
        if (acked) {
            outbox.acked(member);
        }
    }
}
