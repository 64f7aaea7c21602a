package org.p2pchat.core.internal.room;

import java.time.Instant;
import java.util.List;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.RoomMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room messages of other members (PROTOCOL.md, "Flooding"): the cheap checks first, then the
 * signature, then the sequencer, which delivers each message once, in its origin's order; each
 * delivered message is handed to the listener and forwarded to the members that may lack it.
 *
 * <p>{@link #onPost} runs in the sender's lane; delivery and forwarding run in the room's lane,
 * in the order the sequencer released the messages, with the room's lock released; the listener
 * is called in the room's lane too, once the store recorded the message.
 */
final class PostFlood {
    private static final Logger LOG = LoggerFactory.getLogger(PostFlood.class);

    private final RoomState room;
    private final RoomNet net;
    private final RoomOutbox outbox;
    private final Rooms rooms;

    PostFlood(RoomState room, RoomOutbox outbox, Rooms rooms) {
        this.room = room;
        this.net = room.net;
        this.outbox = outbox;
        this.rooms = rooms;
    }

    /** A room message from the member {@code from}: check, de-duplicate, deliver, forward. */
    void onPost(PeerKey from, RoomPost post) {
        MemberRecord origin;
        synchronized (room) {
            if (room.left || room.view.member(from) == null) {
                LOG.debug("{}: #{}: dropping {} relayed by a non-member", net.selfName(),
                        room.name, post);
                return;
            }
            origin = room.view.member(post.originKey());
            if (origin == null || origin.incarnation() != post.incarnation()
                    || !post.signedWith(origin.signingKey())
                    || origin.key().equals(room.self.key()) || room.sequencer.isCopy(post)) {
                return;
            }
        }
        if (!post.verify()) {
            rooms.forged(room.name, from, post + ": its signature does not hold");
            return;
        }
        String text;
        try {
            text = post.text();
        } catch (org.p2pchat.api.ProtocolException e) {
            rooms.forged(room.name, from, post + ": " + e.getMessage());
            return;
        }
        synchronized (room) {
            long now = net.nanoTime();
            List<RoomPost> due = room.sequencer.accept(post, now);
            for (RoomPost p : due) {
                room.backlog.add(p, now);
            }
            if (!due.isEmpty()) {
                // Delivered in the room's lane, queued in the order the sequencer released them:
                // two senders' lanes relaying one origin must not overtake each other.
                List<MemberRecord> forwardTo = room.forwardTargets(from, post.originKey());
                // Messages that waited behind a gap may not have reached the member this one came
                // from: they go to every member but their origin.
                List<MemberRecord> everyone = due.size() == 1 ? forwardTo
                        : room.forwardTargets(room.self.key(), post.originKey());
                net.execute(room.lane, () -> deliverAndForward(due, forwardTo, everyone, text,
                        post));
            }
        }
    }

    /**
     * In the room's lane: delivers messages released by a skipped gap and forwards them to
     * {@code everyone} (but each one's origin).
     */
    void deliverReleased(List<RoomPost> released, List<MemberRecord> everyone) {
        deliverAndForward(released, everyone, everyone, null, null);
    }

    private void deliverAndForward(List<RoomPost> due, List<MemberRecord> forwardTo,
            List<MemberRecord> everyone, String knownText, RoomPost known) {
        for (RoomPost p : due) {
            MemberRecord origin;
            synchronized (room) {
                origin = room.view.record(p.originKey());
            }
            String text = p == known ? knownText : p.text();
            String from = origin == null ? "?" : room.labelOf(origin);
            RoomMessage m = new RoomMessage(room.name, from, p.originKey(), text,
                    Instant.ofEpochMilli(p.sentAt()), Instant.now(),
                    new RoomMessageId(p.originKey(), p.incarnation(), p.seq()));
            for (MemberRecord r : p == known ? forwardTo : everyone) {
                if (!r.key().equals(p.originKey())) {
                    outbox.sendPost(r, p);
                }
            }
            // The listener gets it once the store has it, so that a peer that crashes and
            // restarts never shows a message twice: one it showed is in its stored positions.
            // The stages complete in the order of the writes, so the listener's calls keep the
            // order of delivery.
            RoomHistory.received(room, m).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("{}: #{}: could not record {}; delivered all the same: {}",
                            net.selfName(), room.name, p, e.getMessage());
                }
                net.execute(room.lane, () -> {
                    try {
                        net.listener().onRoomMessage(m);
                    } catch (RuntimeException x) {
                        LOG.warn("{}: the listener threw on a message in #{}", net.selfName(),
                                room.name, x);
                    }
                });
            });
        }
    }
}
