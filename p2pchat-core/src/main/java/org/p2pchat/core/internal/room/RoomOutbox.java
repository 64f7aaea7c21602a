package org.p2pchat.core.internal.room;

import java.util.concurrent.CompletionStage;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What leaves a room: frames to members over their links, and events to the application's
 * listener in the room's lane. An acknowledgement of any frame is this peer's sign that the
 * member is reachable, so it is noted here, where every send passes, and a member reported
 * failed is reported joined again.
 *
 * <p>Called from any thread, never with the room's lock held (sending takes the link's lock);
 * acknowledgements come on the network's threads.
 */
final class RoomOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(RoomOutbox.class);

    private final RoomState room;
    private final RoomNet net;

    RoomOutbox(RoomState room) {
        this.room = room;
        this.net = room.net;
    }

    /** Queues a frame to a member; the caller handles its outcome. */
    CompletionStage<Void> send(MemberRecord to, byte kind, byte[] body) {
        return net.send(to.key(), to.name(), to.address(), kind, body);
    }

    /** Queues a membership message to a member, noting its acknowledgement. */
    void sendControl(MemberRecord to, byte[] body) {
        sendNotingAck(to, RoomNet.KIND_CONTROL, body);
    }

    /** Queues a room message to a member, noting its acknowledgement. */
    void sendPost(MemberRecord to, RoomPost post) {
        sendNotingAck(to, RoomNet.KIND_POST, post.encoded());
    }

    private void sendNotingAck(MemberRecord to, byte kind, byte[] body) {
        send(to, kind, body).whenComplete((v, e) -> {
            if (e == null) {
                acked(to.key());
            }
        });
    }

    /** The member acknowledged something: it is reachable. Any thread. */
    void acked(PeerKey member) {
        RoomMember back = null;
        synchronized (room) {
            MemberStatus s = room.status.get(member);
            if (s == null) {
                return;
            }
            s.lastAck = net.nanoTime();
            if (s.failed) {
                s.failed = false;
                MemberRecord r = room.view.member(member);
                back = r == null ? null : room.member(r);
            }
        }
        if (back != null) {
            RoomMember m = back;
            net.execute(room.lane, () -> net.listener().onMemberJoined(room.name, m));
        }
    }

    /** Runs a listener event in the room's lane; what the listener throws is logged. */
    void fire(Runnable event) {
        net.execute(room.lane, () -> {
            try {
                event.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: the listener threw on an event in #{}", net.selfName(), room.name, e);
            }
        });
    }
}
