package org.p2pchat.core.internal.link;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;

/**
 * Asks whoever listens at a friend's listed address for its key: the first half of a Noise XX
 * handshake as the initiator, up to handshake message 2, where the responder names itself and
 * proves its static key. Then it closes, without message 3, so it reveals nothing of this peer
 * (the responder sees a connection closed during its handshake). The key comes out of
 * {@code found}, or why none could be had.
 *
 * <p>Called on the transport's event loop; the deadline runs on the node's timer.
 */
final class KeyProbe implements ConnectionHandler {
    private final LinkNode node;
    private final String friend;
    private final CompletableFuture<PeerKey> found;
    private SecureChannel channel;

    KeyProbe(LinkNode node, String friend, CompletableFuture<PeerKey> found) {
        this.node = node;
        this.friend = friend;
        this.found = found;
    }

    /** Once connected: sends handshake message 1 and starts the deadline. */
    void start(Connection connection, ScheduledExecutorService timer, Duration deadline) {
        connection.maxInboundFrameBytes(LinkHandler.HANDSHAKE_FRAME_BYTES);
        try {
            timer.schedule(() -> fail(connection, new PeerUnreachableException(
                    "no answer to the handshake within " + deadline)), deadline.toNanos(),
                    TimeUnit.NANOSECONDS);
            channel = node.newChannel(connection, true);
            channel.writeHandshake(new byte[0]);
        } catch (RejectedExecutionException e) {
            fail(connection, new PeerUnreachableException(node.name() + " is closing"));
        } catch (P2pChatException e) {
            fail(connection, e);
        }
    }

    @Override
    public void onFrame(Connection connection, ByteBuffer frame) {
        if (found.isDone()) {
            return;
        }
        try {
            WireCodec.Hello hello = WireCodec.readHelloPayload(channel.readHandshake(frame));
            if (!hello.name().equals(friend)) {
                throw new PeerIdentityException("'" + hello.name() + "' answered at the address"
                        + " listed for " + friend);
            }
            found.complete(channel.remoteKey());
            connection.close();
        } catch (P2pChatException e) {
            fail(connection, e);
        }
    }

    private void fail(Connection connection, P2pChatException e) {
        if (found.completeExceptionally(e)) {
            connection.abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR,
                    "key probe of " + friend + " failed: " + e.getMessage(), e));
        }
    }

    @Override
    public void onClosed(Connection connection, ConnectionClosedException reason) {
        found.completeExceptionally(new PeerUnreachableException("closed during the handshake: "
                + reason.getMessage(), reason));
    }
}
