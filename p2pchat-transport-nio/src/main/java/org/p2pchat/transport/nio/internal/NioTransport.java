package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.P2pChatException;
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
 * A {@link Transport} over TCP with one {@link NioEventLoop} thread.
 *
 * <p><b>Threading:</b> the {@link Transport} methods are called from any thread and never block
 * on the network ({@link #close()} waits for the loop thread, at most the close timeout): they
 * hand work to the event loop and return a stage it completes. Failures found before any work is
 * handed over (transport already closed) come back as already-failed stages. The connection
 * registry, the timers (idle closes, connect timeouts, close timeouts) and the shutdown sequence
 * below are event-loop only and need no locking.
 */
final class NioTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(NioTransport.class);
    /** Idle outbound chunks kept per transport: at least 4 MiB, at most 16 MiB. */
    private static final int MIN_RETAINED_CHUNKS = 64;
    private static final int MAX_RETAINED_CHUNKS = 256;

    private final TransportOptions options;
    private final String name;
    private final long idleNanos;
    private final ChunkPool chunks;
    private final NioEventLoop loop;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();

    // Event-loop state.
    private final ArrayList<NioConnection> connections = new ArrayList<>();
    private final ArrayList<NioConnectAttempt> attempts = new ArrayList<>();
    private final ArrayList<NioListener> listeners = new ArrayList<>();
    private long nextIdleCheck;
    private long nextConnectCheck;
    private int drainingCount;
    private boolean shuttingDown;
    private long shutdownDeadline;

    NioTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.name = options.name();
        this.idleNanos = options.idleTimeout().toNanos();
        // Enough to refill one connection's whole queue without allocating direct memory again.
        long queueChunks = options.writeQueueLimitBytes() / OutboundChunk.SIZE + 1;
        this.chunks = new ChunkPool((int) Math.max(MIN_RETAINED_CHUNKS,
                Math.min(MAX_RETAINED_CHUNKS, queueChunks)));
        this.loop = new NioEventLoop(this, options.ticker(), name);
        this.nextIdleCheck = options.ticker().nanoTime() + idleNanos;
        loop.start();
    }

    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress address, ConnectionAcceptor acceptor) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(acceptor, "acceptor");
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<PeerAddress> result = new CompletableFuture<>();
        SocketAddresses.resolve(address).whenComplete((resolved, error) -> onLoop(result,
                e -> new ListenFailedException("cannot listen on " + address + ": " + e, e), () -> {
                    if (error != null) {
                        Throwable cause = SocketAddresses.unwrap(error);
                        result.completeExceptionally(new ListenFailedException("cannot listen on "
                                + address + ": " + cause.getMessage(), cause));
                    } else {
                        NioListener.open(this, resolved, address, acceptor, result);
                    }
                }));
        return result;
    }

    @Override
    public CompletionStage<Connection> connect(PeerAddress remote, ConnectionHandler handler) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(handler, "handler");
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        // A slow resolver counts against the connect timeout too (on the system clock: the
        // ticker only drives the loop's own deadlines).
        SocketAddresses.resolve(remote)
                .orTimeout(options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((resolved, error) -> onLoop(result,
                        e -> new ConnectFailedException("cannot connect to " + remote + ": " + e, e),
                        () -> {
                            if (isClosed()) {
                                result.completeExceptionally(closedException());
                            } else if (error != null) {
                                result.completeExceptionally(resolveFailed(remote, error));
                            } else {
                                NioConnectAttempt.start(this, resolved, remote, handler, result);
                            }
                        }));
        return result;
    }

    /**
     * Runs a task that completes {@code result} on the loop; should it throw (even an Error),
     * the stage fails with {@code failure} of what it threw instead of never completing.
     */
    private void onLoop(CompletableFuture<?> result, Function<Throwable, P2pChatException> failure,
            Runnable task) {
        loop.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(failure.apply(e));
                throw e;
            }
        });
    }

    private P2pChatException resolveFailed(PeerAddress remote, Throwable error) {
        Throwable cause = SocketAddresses.unwrap(error);
        if (cause instanceof TimeoutException) {
            return new ConnectTimeoutException("resolving " + remote.host() + " took longer than "
                    + options.connectTimeout() + " (p2pchat.connectTimeout)");
        }
        return new ConnectFailedException("cannot connect to " + remote + ": "
                + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        long start = System.nanoTime();
        if (closed.compareAndSet(false, true)) {
            LOG.debug("{}: closing the transport", name);
            loop.execute(this::beginShutdown);
        }
        long budget = options.closeTimeout().toNanos() - (System.nanoTime() - start);
        if (!loop.awaitTermination(budget) && !loop.inLoop()) {
            LOG.warn("{}: the event loop did not stop within the close timeout of {}", name,
                    options.closeTimeout());
        }
    }

    @Override
    public String toString() {
        return "NioTransport[" + name + "]";
    }

    boolean isClosed() {
        return closed.get();
    }

    TransportClosedException closedException() {
        return new TransportClosedException("the transport " + name + " is closed");
    }

    TransportOptions options() {
        return options;
    }

    String name() {
        return name;
    }

    NioEventLoop loop() {
        return loop;
    }

    ChunkPool chunks() {
        return chunks;
    }

    // ---- event-loop only below ----

    int openCount() {
        return connections.size() + attempts.size();
    }

    void listenerOpened(NioListener listener) {
        listeners.add(listener);
    }

    void attemptStarted(NioConnectAttempt attempt) {
        if (attempts.isEmpty() || attempt.deadline() - nextConnectCheck < 0) {
            nextConnectCheck = attempt.deadline();
        }
        attempts.add(attempt);
    }

    void attemptEnded(NioConnectAttempt attempt) {
        attempts.remove(attempt);
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** A connect finished: the attempt's key now belongs to the new connection. */
    NioConnection opened(SocketChannel channel, SelectionKey key, ConnectionHandler handler,
            long now) throws IOException {
        NioConnection c = newConnection(channel, now);
        c.register(key);
        c.start(handler);
        return c;
    }

    NioConnection newConnection(SocketChannel channel, long now) throws IOException {
        PeerAddress remote = PeerAddress.of((InetSocketAddress) channel.getRemoteAddress());
        PeerAddress local = PeerAddress.of((InetSocketAddress) channel.getLocalAddress());
        NioConnection c = new NioConnection(ids.incrementAndGet(), this, channel, remote, local, now);
        c.index = connections.size();
        connections.add(c);
        if (idleNanos > 0 && now + idleNanos - nextIdleCheck < 0) {
            nextIdleCheck = now + idleNanos;
        }
        LOG.debug("{}: {} open", name, c);
        return c;
    }

    void removed(NioConnection c, boolean wasDraining) {
        int i = c.index;
        if (i >= 0) {
            NioConnection last = connections.remove(connections.size() - 1);
            if (last != c) {
                connections.set(i, last);
                last.index = i;
            }
            c.index = -1;
        }
        if (wasDraining) {
            drainingCount--;
        }
    }

    void drainStarted() {
        drainingCount++;
    }

    /** Called every iteration; scans only once the ticker passes the earliest deadline. */
    void checkTimers(long now) {
        if (idleNanos > 0 && !connections.isEmpty() && now - nextIdleCheck >= 0) {
            long next = now + idleNanos;
            for (int i = connections.size() - 1; i >= 0; i--) {
                if (i >= connections.size()) {
                    continue;
                }
                NioConnection c = connections.get(i);
                long deadline = c.idleDeadline(idleNanos);
                if (now - deadline >= 0) {
                    c.idleTimedOut(new ConnectionClosedException(Reason.IDLE_TIMEOUT, c
                            + " was idle for " + options.idleTimeout() + " (p2pchat.idleTimeout)"),
                            now);
                } else if (deadline - next < 0) {
                    next = deadline;
                }
            }
            nextIdleCheck = next;
        }
        if (!attempts.isEmpty() && now - nextConnectCheck >= 0) {
            long next = Long.MAX_VALUE;
            boolean any = false;
            for (int i = attempts.size() - 1; i >= 0; i--) {
                NioConnectAttempt a = attempts.get(i);
                if (now - a.deadline() >= 0) {
                    a.timeOut();
                } else if (!any || a.deadline() - next < 0) {
                    next = a.deadline();
                    any = true;
                }
            }
            nextConnectCheck = next;
        }
    }

    /** Close timeouts use the real clock: they bound how long {@link #close()} may take. */
    void afterIteration() {
        if (drainingCount == 0 && !shuttingDown) {
            return;
        }
        long systemNow = System.nanoTime();
        for (int i = connections.size() - 1; i >= 0 && drainingCount > 0; i--) {
            if (i < connections.size()) {
                connections.get(i).checkDrainDeadline(systemNow);
            }
        }
        if (shuttingDown && systemNow - shutdownDeadline >= 0) {
            terminateAll();
        }
    }

    /** Short selects while closes are pending, so their deadlines are met on time. */
    long selectTimeoutMillis() {
        return drainingCount > 0 || shuttingDown ? 10 : NioEventLoop.SELECT_TIMEOUT_MS;
    }

    boolean finished() {
        return shuttingDown && connections.isEmpty();
    }

    private void beginShutdown() {
        shuttingDown = true;
        long timeout = options.closeTimeout().toNanos();
        // Leave part of the close timeout for the handlers' onClosed calls and the thread's exit.
        shutdownDeadline = System.nanoTime() + Math.max(timeout / 2, timeout - 200_000_000L);
        for (NioListener l : listeners) {
            l.close();
        }
        listeners.clear();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            attempts.get(i).fail(closedException());
        }
        long now = options.ticker().nanoTime();
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i < connections.size()) {
                connections.get(i).transportClosing(now);
            }
        }
    }

    /** Event loop, on its way out, also after an unexpected failure: nothing is left open. */
    void loopEnding() {
        closed.set(true);
        try {
            if (!shuttingDown) {
                beginShutdown();
            }
        } finally {
            terminateAll();
        }
    }

    private void terminateAll() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i < connections.size()) {
                connections.get(i).closeNow();
            }
        }
    }
}
