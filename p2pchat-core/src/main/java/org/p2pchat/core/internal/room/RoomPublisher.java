package org.p2pchat.core.internal.room;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.NotInRoomException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessageId;

/**
 * What this peer publishes in a room: each message numbered, signed and sent to every member,
 * and its outcome tracked until each member that was not failed acknowledged it, failed to, or
 * left (see {@link PublishTracker}).
 *
 * <p>Called by application threads, any number at once; messages go out in the order they are
 * numbered. Acknowledgements settle trackers on the network's threads.
 */
final class RoomPublisher {
    private final RoomState room;
    private final RoomNet net;
    private final RoomOutbox outbox;
    /** The publishes waiting for acknowledgements; guarded by the room's lock. */
    private final List<PublishTracker> pending = new ArrayList<>();
    /** Held while a message is numbered, signed and queued, so that they go out in order. */
    private final Object publishing = new Object();

    RoomPublisher(RoomState room, RoomOutbox outbox) {
        this.room = room;
        this.net = room.net;
        this.outbox = outbox;
    }

    CompletionStage<RoomMessageId> publish(String text) {
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
            synchronized (room) {
                if (room.left) {
                    return CompletableFuture.failedFuture(new NotInRoomException(net.selfName()
                            + " left #" + room.name));
                }
                seq = room.nextSeq++;
                incarnation = room.self.incarnation();
                for (MemberRecord r : room.view.members()) {
                    if (r.key().equals(room.self.key())) {
                        continue;
                    }
                    targets.add(r);
                    MemberStatus s = room.status.get(r.key());
                    if (s == null || !s.failed) {
                        waitFor.add(room.member(r));
                    }
                }
            }
            long sentAt = net.currentTimeMillis();
            RoomPost post = RoomPost.sign(room.id, net.signer(), incarnation, seq, sentAt, utf8);
            synchronized (room) {
                room.backlog.add(post, net.nanoTime());
            }
            RoomMessageId id = new RoomMessageId(room.self.key(), incarnation, seq);
            PublishTracker tracker = new PublishTracker(id, room.name, waitFor);
            RoomHistory.published(room, id, text, java.time.Instant.ofEpochMilli(sentAt),
                    tracker.stage());
            if (!tracker.stage().isDone()) {
                synchronized (room) {
                    pending.add(tracker);
                }
                tracker.stage().whenComplete((v, e) -> {
                    synchronized (room) {
                        pending.remove(tracker);
                    }
                });
            }
            for (MemberRecord r : targets) {
                outbox.send(r, RoomNet.KIND_POST, post.encoded())
                        .whenComplete((v, e) -> {
                            if (e == null) {
                                outbox.acked(r.key());
                                tracker.settled(r.key());
                            } else {
                                tracker.failed(r.key(), e);
                            }
                        });
            }
            return tracker.stage();
        }
    }

    /**
     * The lock held while a message is numbered, signed, kept and queued; taken before the
     * room's lock, never after it.
     */
    Object publishing() {
        return publishing;
    }

    /**
     * Lock held: the publishes still waiting, for a member's leave to settle once the lock is
     * released (completing one runs the application's callbacks).
     */
    List<PublishTracker> unsettled() {
        return List.copyOf(pending);
    }
}
