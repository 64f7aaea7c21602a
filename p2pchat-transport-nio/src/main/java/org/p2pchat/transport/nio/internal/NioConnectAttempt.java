package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;

/**
 * A connection being opened: a non-blocking connect finished with {@code finishConnect} when the
 * selector reports it, or failed by the transport's timer when the connect timeout passes.
 *
 * <p><b>Threading:</b> event-loop thread only; {@code result} completes there.
 */
final class NioConnectAttempt implements NioSelectable {
    private final NioTransport transport;
    private final SocketChannel channel;
    private final PeerAddress remote;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> result;
    private final long deadline;
    private SelectionKey key;

    private NioConnectAttempt(NioTransport transport, SocketChannel channel, PeerAddress remote,
            ConnectionHandler handler, CompletableFuture<Connection> result, long deadline) {
        this.transport = transport;
        this.channel = channel;
        this.remote = remote;
        this.handler = handler;
        this.result = result;
        this.deadline = deadline;
    }

    /** Event loop: starts connecting, or fails {@code result} if the transport cannot. */
    static void start(NioTransport transport, InetSocketAddress to, PeerAddress remote,
            ConnectionHandler handler, CompletableFuture<Connection> result) {
        if (transport.isClosed()) {
            result.completeExceptionally(transport.closedException());
            return;
        }
        int max = transport.options().maxConnections();
        if (transport.openCount() >= max) {
            result.completeExceptionally(new ConnectionLimitException("cannot connect to " + remote
                    + ": " + max + " connections are already open, the maximum"
                    + " (p2pchat.maxConnections); close idle ones or raise the cap"));
            return;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            long now = transport.options().ticker().nanoTime();
            NioConnectAttempt attempt = new NioConnectAttempt(transport, channel, remote, handler,
                    result, now + transport.options().connectTimeout().toNanos());
            boolean connected = channel.connect(to);
            attempt.key = channel.register(transport.loop().selector(),
                    connected ? 0 : SelectionKey.OP_CONNECT, attempt);
            transport.attemptStarted(attempt);
            if (connected) {
                attempt.connected(now);
            }
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            result.completeExceptionally(new ConnectFailedException("cannot connect to " + remote
                    + ": " + e, e));
        }
    }

    @Override
    public void ready(SelectionKey selectionKey, long now) {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            fail(new ConnectFailedException("cannot connect to " + remote + ": " + e.getMessage(), e));
            return;
        }
        connected(now);
    }

    private void connected(long now) {
        NioConnection connection;
        try {
            connection = transport.opened(channel, key, handler, now);
        } catch (IOException e) {
            fail(new ConnectFailedException("cannot connect to " + remote + ": " + e.getMessage(), e));
            return;
        }
        transport.attemptEnded(this);
        if (!result.complete(connection)) {
            // The caller gave up on the stage (cancelled it): nobody owns this connection.
            connection.close();
        }
    }

    long deadline() {
        return deadline;
    }

    /** Event loop: the connect timeout has passed. */
    void timeOut() {
        fail(new ConnectTimeoutException("connecting to " + remote + " took longer than "
                + transport.options().connectTimeout() + " (p2pchat.connectTimeout)"));
    }

    /** Event loop: gives up, closing the socket. */
    void fail(P2pChatException error) {
        transport.attemptEnded(this);
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            error.addSuppressed(e);
        }
        result.completeExceptionally(error);
    }

    @Override
    public String toString() {
        return "connect attempt to " + remote;
    }
}
