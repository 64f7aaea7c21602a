package org.p2pchat.core.internal.local;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.TransportClosedException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionAcceptor;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport whose connections are pairs of {@link LocalConnection}s in one JVM. One
 * single-threaded event loop per transport runs every callback, as the network transports do;
 * frames cross from the writer's thread to the reader's loop as copies.
 */
final class LocalTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTransport.class);
    private static final long IDLE_CHECK_MILLIS = 50;

    private final TransportOptions options;
    private final LocalNetwork network;
    private final ScheduledThreadPoolExecutor loop;
    private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<PeerAddress, LocalNetwork.Listener> bound =
            new ConcurrentHashMap<>();
    private volatile Thread loopThread;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    LocalTransport(TransportOptions options, LocalNetwork network) {
        this.options = options;
        this.network = network;
        this.loop = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "p2pchat-local-" + options.name());
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        if (!options.idleTimeout().isZero()) {
            loop.scheduleWithFixedDelay(this::closeIdle, IDLE_CHECK_MILLIS, IDLE_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    TransportOptions options() {
        return options;
    }

    /**
     * Runs a task on this transport's loop; dropped once the transport is closed.
     *
     * @return false if it was dropped
     */
    boolean runOnLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.trace("local transport {} is closed; dropped a task", options.name());
            return false;
        }
    }

    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress address, ConnectionAcceptor acceptor) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        LocalNetwork.Listener listener = new LocalNetwork.Listener(this, acceptor);
        PeerAddress actual = network.bind(address, listener);
        if (actual == null) {
            return CompletableFuture.failedFuture(new ListenFailedException(
                    "local address " + address + " is already in use"));
        }
        bound.put(actual, listener);
        return CompletableFuture.completedFuture(actual);
    }

    @Override
    public CompletionStage<Connection> connect(PeerAddress remote, ConnectionHandler handler) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        LocalNetwork.Listener listener = network.lookup(remote);
        if (listener == null) {
            return CompletableFuture.failedFuture(new ConnectFailedException(
                    "connection refused: nothing listens on local address " + remote));
        }
        if (!reserve()) {
            return CompletableFuture.failedFuture(new ConnectionLimitException("cannot open a"
                    + " connection to " + remote + ": " + options.maxConnections()
                    + " are open (p2pchat.maxConnections)"));
        }
        LocalTransport server = listener.transport();
        PeerAddress local = remote.withPort(network.ephemeralPort());
        LocalConnection clientEnd = new LocalConnection(this, local, remote, handler);
        CompletableFuture<Connection> result = new CompletableFuture<>();
        server.runOnLoop(() -> server.accept(listener.acceptor(), clientEnd, result));
        return result;
    }

    /** Runs on this (the listening) transport's loop. */
    private void accept(ConnectionAcceptor acceptor, LocalConnection clientEnd,
            CompletableFuture<Connection> result) {
        LocalTransport client = clientEnd.transport();
        if (closed || !reserve()) {
            LOG.warn("{}: refused a local connection from {}: {}", options.name(),
                    clientEnd.localAddress(), closed ? "closed" : options.maxConnections()
                            + " connections are open (p2pchat.maxConnections)");
            client.release();
            client.runOnLoop(() -> result.completeExceptionally(new ConnectFailedException(
                    "connection refused by " + clientEnd.remoteAddress())));
            return;
        }
        LocalConnection serverEnd = new LocalConnection(this, clientEnd.remoteAddress(),
                clientEnd.localAddress(), null);
        LocalConnection.pair(clientEnd, serverEnd);
        connections.add(serverEnd);
        try {
            serverEnd.handler(acceptor.accepted(serverEnd));
        } catch (RuntimeException e) {
            LOG.error("{}: the acceptor threw; closing the connection", options.name(), e);
            serverEnd.handler(LocalConnection.IGNORING);
            serverEnd.abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR,
                    "acceptor failed: " + e));
        }
        client.runOnLoop(() -> {
            if (client.closed) {
                clientEnd.abort(client.closedReason());
                result.completeExceptionally(client.closedException());
            } else {
                client.connections.add(clientEnd);
                result.complete(clientEnd);
            }
        });
    }

    private boolean reserve() {
        return open.getAndUpdate(n -> n < options.maxConnections() ? n + 1 : n)
                < options.maxConnections();
    }

    void release() {
        open.decrementAndGet();
    }

    void forget(LocalConnection connection) {
        if (connections.remove(connection)) {
            release();
        }
    }

    private void closeIdle() {
        long now = options.ticker().nanoTime();
        long limit = options.idleTimeout().toNanos();
        for (LocalConnection c : connections) {
            if (now - c.lastActivity() >= limit) {
                c.closeNow(new ConnectionClosedException(Reason.IDLE_TIMEOUT, "connection "
                        + c.id() + " to " + c.remoteAddress() + " idle for "
                        + options.idleTimeout()));
            }
        }
    }

    private TransportClosedException closedException() {
        return new TransportClosedException("local transport " + options.name() + " is closed");
    }

    ConnectionClosedException closedReason() {
        return new ConnectionClosedException(Reason.TRANSPORT_CLOSED,
                "local transport " + options.name() + " closed");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bound.forEach(network::unbind);
        ConnectionClosedException reason = closedReason();
        for (LocalConnection c : connections) {
            runOnLoop(() -> c.closeNow(reason));
        }
        loop.shutdown();
        if (Thread.currentThread() == loopThread) {
            return; // closed from a callback: the loop finishes its queue after this task
        }
        try {
            if (!loop.awaitTermination(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: local transport loop did not stop within {}", options.name(),
                        options.closeTimeout());
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
    }
}
