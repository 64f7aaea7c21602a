package org.p2pchat.core.internal.node;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.room.RoomNet;
import org.p2pchat.core.internal.session.Ed25519;

/**
 * What a node gives its rooms: its identity, the links (room frames are DATA messages of the room
 * kinds on the same numbered, acknowledged, windowed links as direct messages), the listener's
 * serial executor, and the timer. Thread-safe, as the node is.
 */
final class RoomLinks implements RoomNet {
    private final ChatNode node;

    RoomLinks(ChatNode node) {
        this.node = node;
    }

    @Override
    public String selfName() {
        return node.name();
    }

    @Override
    public PeerAddress selfAddress() {
        return node.listenAddress();
    }

    @Override
    public PeerKey selfKey() {
        return node.publicKey();
    }

    @Override
    public Ed25519.Keys signer() {
        return node.identity().signer();
    }

    @Override
    public CompletionStage<Void> send(PeerKey member, String label, PeerAddress address,
            byte kind, byte[] body) {
        byte wireKind = kind == KIND_POST ? MessageFrames.KIND_ROOM_POST
                : MessageFrames.KIND_ROOM_CONTROL;
        return node.links().sendTo(member, label, wireKind, body, null, address);
    }

    @Override
    public CompletionStage<PeerKey> reach(PeerAddress address) {
        return node.links().reach(address);
    }

    @Override
    public boolean connected(PeerKey key) {
        return node.links().connectedTo(key);
    }

    @Override
    public void execute(Object lane, Runnable task) {
        node.callbacks().execute(lane, task);
    }

    @Override
    public ScheduledExecutorService timer() {
        return node.timer();
    }

    @Override
    public long nanoTime() {
        return node.ticker().nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public MessageListener listener() {
        return node.listener();
    }

    @Override
    public Duration digestInterval() {
        return node.roomOptions().digestInterval();
    }

    @Override
    public Duration failureTimeout() {
        return node.roomOptions().failureTimeout();
    }

    @Override
    public org.p2pchat.core.internal.room.CatchUpLimits catchUpLimits() {
        return node.roomOptions().catchUp();
    }

    @Override
    public Duration deliveryTimeout() {
        return node.deliveryOptions().deliveryTimeout();
    }

    @Override
    public org.p2pchat.spi.MessageStore store() {
        return node.store();
    }

    @Override
    public int maxBodyBytes() {
        return ChatNode.maxTextBytes(node.maxFrameBytes());
    }
}
