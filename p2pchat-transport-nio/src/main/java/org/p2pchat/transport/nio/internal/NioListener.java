package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.ConnectionAcceptor;
import org.p2pchat.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of a {@link NioTransport}.
 *
 * <p><b>Threading:</b> event-loop thread only; accepts without blocking and hands each new
 * socket to the transport, which enforces the connection cap before the acceptor sees it.
 */
final class NioListener implements NioSelectable {
    private static final Logger LOG = LoggerFactory.getLogger(NioListener.class);
    private static final int BACKLOG = 128;
    /** Accepts per readiness event, so a connection flood cannot starve established traffic. */
    private static final int MAX_ACCEPTS = 32;

    private final NioTransport transport;
    private final ServerSocketChannel server;
    private final SelectionKey key;
    /** Refusals for a full node: worth a warning, but a flood of them is one line a second. */
    private static final ThrottledLog FULL = new ThrottledLog(LOG);

    private final ConnectionAcceptor acceptor;
    private final PeerAddress address;

    private NioListener(NioTransport transport, ServerSocketChannel server, SelectionKey key,
            ConnectionAcceptor acceptor, PeerAddress address) {
        this.transport = transport;
        this.server = server;
        this.key = key;
        this.acceptor = acceptor;
        this.address = address;
    }

    /** Event loop: binds, registers, and completes {@code result} with the bound address. */
    static void open(NioTransport transport, InetSocketAddress at, PeerAddress requested,
            ConnectionAcceptor acceptor, CompletableFuture<PeerAddress> result) {
        if (transport.isClosed()) {
            result.completeExceptionally(transport.closedException());
            return;
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.configureBlocking(false);
            server.bind(at, BACKLOG);
            SelectionKey key = server.register(transport.loop().selector(), SelectionKey.OP_ACCEPT);
            PeerAddress bound = PeerAddress.of((InetSocketAddress) server.getLocalAddress());
            NioListener listener = new NioListener(transport, server, key, acceptor, bound);
            key.attach(listener);
            transport.listenerOpened(listener);
            LOG.debug("{}: listening on {}", transport.name(), bound);
            result.complete(bound);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            result.completeExceptionally(new ListenFailedException("cannot listen on " + requested
                    + ": " + e.getMessage(), e));
        }
    }

    @Override
    public void ready(SelectionKey selectionKey, long now) {
        for (int i = 0; i < MAX_ACCEPTS; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                LOG.warn("{}: accepting on {} failed: {}", transport.name(), address, e.toString());
                return;
            }
            if (channel == null) {
                return;
            }
            accepted(channel, now);
        }
    }

    /** Enforces the connection cap, then lets the acceptor pick a handler. */
    private void accepted(SocketChannel channel, long now) {
        NioConnection c;
        SelectionKey key;
        int max = transport.options().maxConnections();
        try {
            if (transport.shuttingDown() || transport.openCount() >= max) {
                FULL.warn("{}: refusing a connection from {}: {} connections are open, the maximum"
                        + " (p2pchat.maxConnections)", transport.name(), channel.getRemoteAddress(),
                        transport.openCount());
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(transport.loop().selector(), 0);
            c = transport.newConnection(channel, now);
        } catch (IOException e) {
            LOG.debug("{}: an accepted socket failed at once", transport.name(), e);
            try {
                channel.close();
            } catch (IOException suppressed) {
                LOG.debug("{}: closing it failed too", transport.name(), suppressed);
            }
            return;
        }
        c.register(key);
        ConnectionHandler handler;
        try {
            handler = Objects.requireNonNull(acceptor.accepted(c), "the acceptor returned null");
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: the acceptor failed for {}; closing it", transport.name(), c, e);
            c.terminate(new ConnectionClosedException(Reason.PROTOCOL_ERROR,
                    "the acceptor failed for " + c + ": " + e, e));
            return;
        }
        c.start(handler);
    }

    /** Event loop: stops listening. */
    void close() {
        key.cancel();
        closeQuietly(server);
        LOG.debug("{}: stopped listening on {}", transport.name(), address);
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a listening socket failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "listener on " + address;
    }
}
