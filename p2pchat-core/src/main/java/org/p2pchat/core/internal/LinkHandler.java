package org.p2pchat.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one connection's frames for a {@link ChatNode}. A connection this peer opened belongs to
 * a known friend from the start; an accepted one must first say HELLO, and anything else before
 * that closes it. Called only on the transport's event loop, so its fields need no locking.
 */
final class LinkHandler implements ConnectionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LinkHandler.class);

    private final ChatNode node;
    private FriendLink link;
    private byte[] scratch = new byte[256];

    /**
     * Creates the handler.
     *
     * @param node the peer the connection belongs to
     * @param link the friend, for connections this peer opened; null for accepted ones
     */
    LinkHandler(ChatNode node, FriendLink link) {
        this.node = node;
        this.link = link;
    }

    @Override
    public void onFrame(Connection connection, ByteBuffer frame) {
        try {
            byte type = WireCodec.type(frame);
            if (link == null) {
                if (type != WireCodec.HELLO) {
                    throw new ProtocolException("expected HELLO first, got a frame of type " + type);
                }
                WireCodec.Hello hello = WireCodec.readHello(frame);
                link = node.introduced(hello.name(), connection);
                LOG.debug("{}: connection {} from {} is {}", node.name(), connection.id(),
                        connection.remoteAddress(), hello.name());
            } else if (type == WireCodec.TEXT) {
                node.deliver(link.friend(), text(frame));
            } else {
                throw new ProtocolException("unexpected frame of type " + type);
            }
        } catch (ProtocolException e) {
            LOG.warn("{}: closing connection {} from {}: {}", node.name(), connection.id(),
                    connection.remoteAddress(), e.getMessage());
            connection.abort(new ConnectionClosedException(ConnectionClosedException.Reason
                    .PROTOCOL_ERROR, e.getMessage(), e));
        }
    }

    private String text(ByteBuffer frame) {
        int n = frame.remaining();
        if (frame.hasArray()) {
            String s = new String(frame.array(), frame.arrayOffset() + frame.position(), n,
                    StandardCharsets.UTF_8);
            frame.position(frame.limit());
            return s;
        }
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        frame.get(scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void onClosed(Connection connection, ConnectionClosedException reason) {
        LOG.debug("{}: connection {} to {} closed: {}", node.name(), connection.id(),
                link == null ? connection.remoteAddress() : link.friend(), reason.getMessage());
        if (link != null) {
            node.detached(link, connection);
        }
    }
}
