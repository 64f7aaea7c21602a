package org.p2pchat.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.p2pchat.api.PeerAddress;

/**
 * An in-process TCP proxy on 127.0.0.1 that forwards to one target and cuts connections on
 * demand, for fault-injection tests.
 *
 * <p>It listens on an ephemeral port; each accepted client connection is paired with a new
 * connection to the target, and two daemon threads copy bytes, one per direction, with plain
 * blocking sockets. At most {@link #MAX_CONNECTIONS} pairs are open at once; clients beyond that
 * are reset at once.
 *
 * <p><b>A cut is a reset.</b> {@link #cutAll()} and {@link #cutAfterBytes(long)} close both
 * sockets of a pair with {@code SO_LINGER} 0, so both ends see an abrupt {@code RST} (a read
 * fails with "Connection reset", or returns -1 if the end had already seen a FIN), as they
 * would when a path drops or a host crashes; bytes the proxy has not yet handed to the kernel are
 * lost, and no FIN is sent. An orderly end of stream from either side is passed on as a half
 * close ({@code shutdownOutput}), and the pair is closed normally once both directions ended.
 *
 * <p><b>A pause is a stalled reader.</b> While {@link #pause() paused}, the proxy stops reading
 * from its clients, so a client's bytes pile up in the kernel's buffers until its writes block
 * (or, non-blocking, write nothing), as if the server had stopped reading; nothing more reaches
 * the server until {@link #resume()}, and then everything arrives intact. Server-to-client
 * bytes keep flowing.
 *
 * <p>{@link #close()} stops listening, resets every open pair and waits (bounded) for every
 * thread the proxy started to end. Thread-safe.
 */
public final class FaultyProxy implements AutoCloseable {
    /** How many connection pairs may be open at once. */
    public static final int MAX_CONNECTIONS = 64;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long JOIN_MILLIS = 5_000;
    private static final long DISARMED = -1;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    /** Bytes client-to-server still allowed before a cut; {@link #DISARMED} for no limit. */
    private final AtomicLong budget = new AtomicLong(DISARMED);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards {@link #paused}; client-to-server pumps wait on {@link #unpaused} while it holds. */
    private final ReentrantLock pauseLock = new ReentrantLock();
    private final Condition unpaused = pauseLock.newCondition();
    private boolean paused;

    private FaultyProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "faulty-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /**
     * Starts a proxy on 127.0.0.1 with an ephemeral port.
     *
     * @param target where to forward every connection
     * @return the running proxy; close it after the test
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static FaultyProxy start(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the proxy", e);
        }
        FaultyProxy proxy = new FaultyProxy(target, server);
        proxy.acceptor.start();
        return proxy;
    }

    /**
     * Starts a proxy on 127.0.0.1 with an ephemeral port.
     *
     * @param target where to forward every connection
     * @return the running proxy; close it after the test
     */
    public static FaultyProxy start(PeerAddress target) {
        return start(target.toSocketAddress());
    }

    /**
     * Returns the port the proxy listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Returns the address clients connect to instead of the target.
     *
     * @return {@code 127.0.0.1:port()}
     */
    public PeerAddress address() {
        return PeerAddress.loopback(port());
    }

    /**
     * Counts client connections accepted since the start, including any reset at once because
     * the target refused or the pair limit was reached.
     *
     * @return the count
     */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /**
     * Counts connection pairs open now.
     *
     * @return the count
     */
    public int openConnections() {
        return pairs.size();
    }

    /**
     * Resets every open connection pair, both sides (see the class comment). New connections
     * are still accepted afterwards.
     */
    public void cutAll() {
        for (Pair p : pairs) {
            p.cut();
        }
    }

    /**
     * Arms a one-shot cut: after {@code n} more bytes are forwarded client to server, counted
     * from this call across all pairs, the pair that forwarded the last of them is reset, both
     * sides, and the cut is disarmed. Bytes the proxy had read beyond the {@code n}th are
     * dropped, so a cut lands wherever {@code n} falls, mid-frame included. With {@code n} 0 the
     * next pair that has client bytes to forward is cut before forwarding any. Server-to-client
     * bytes are neither counted nor limited. A later call replaces an armed cut.
     *
     * @param n how many more bytes to forward
     */
    public void cutAfterBytes(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        budget.set(n);
    }

    /**
     * Stalls client-to-server traffic on every open pair and every pair opened later, until
     * {@link #resume()}: the proxy reads nothing more from its clients, so their send buffers
     * fill. A chunk the proxy had read before this call may still be forwarded; whatever it
     * reads later, an end of stream included, is held until {@code resume()}. Cuts, armed or
     * called, and {@link #close()} still work while paused. Idempotent; any thread.
     */
    public void pause() {
        pauseLock.lock();
        try {
            paused = true;
        } finally {
            pauseLock.unlock();
        }
    }

    /**
     * Undoes {@link #pause()}: what the proxy held and what the clients' buffers hold is
     * forwarded, in order. Idempotent; any thread.
     */
    public void resume() {
        pauseLock.lock();
        try {
            paused = false;
            unpaused.signalAll();
        } finally {
            pauseLock.unlock();
        }
    }

    /** Stops listening, resets every open pair and waits for the proxy's threads to end. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        cutAll();
        join(acceptor);
        for (Thread t : threads) {
            join(t);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            throw new IllegalStateException(t.getName() + " did not end within " + JOIN_MILLIS
                    + " ms");
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // the server socket was closed
            }
            accepted.incrementAndGet();
            threads.removeIf(t -> !t.isAlive());
            if (closed.get() || pairs.size() >= MAX_CONNECTIONS) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(upstream);
                reset(client);
                continue;
            }
            Pair pair = new Pair(client, upstream);
            pairs.add(pair);
            if (closed.get()) { // close() may have run cutAll() before the add
                pair.cut();
            }
            pair.start();
        }
    }

    /** A client socket, its upstream socket and the two threads copying between them. */
    private final class Pair {
        private final Socket client;
        private final Socket upstream;
        private final AtomicBoolean cut = new AtomicBoolean();
        private final AtomicInteger directionsDone = new AtomicInteger();

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            String name = "faulty-proxy-" + port() + "-" + client.getPort();
            Thread up = new Thread(() -> pump(client, upstream, true), name + "-c2s");
            Thread down = new Thread(() -> pump(upstream, client, false), name + "-s2c");
            for (Thread t : List.of(up, down)) {
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buf = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    // Not reading is what fills the client's send buffer, like a stalled server.
                    if (fromClient && !awaitUnpaused()) {
                        return;
                    }
                    int n = in.read(buf);
                    // A read that was blocked when pause() ran must not slip its bytes through.
                    if (fromClient && !awaitUnpaused()) {
                        return;
                    }
                    if (n < 0) {
                        to.shutdownOutput(); // pass the FIN on
                        break;
                    }
                    int forward = n;
                    boolean cutNow = false;
                    if (fromClient) {
                        long[] allowed = new long[1];
                        long before = budget.getAndUpdate(b -> {
                            if (b == DISARMED) {
                                return DISARMED;
                            }
                            allowed[0] = Math.min(b, n);
                            return b - allowed[0] <= 0 ? DISARMED : b - allowed[0];
                        });
                        if (before != DISARMED) {
                            forward = (int) allowed[0];
                            cutNow = before <= n;
                        }
                    }
                    if (forward > 0) {
                        out.write(buf, 0, forward);
                        out.flush();
                    }
                    if (cutNow) {
                        cut();
                        return;
                    }
                }
            } catch (IOException e) {
                cut(); // a reset or a cut on either side: reset the other side too
                return;
            }
            if (directionsDone.incrementAndGet() == 2) {
                closeQuietly(client);
                closeQuietly(upstream);
                pairs.remove(this);
            }
        }

        /**
         * Waits while the proxy is paused; a cut (close() cuts every pair) ends the wait.
         *
         * @return false if the pair was cut, so the pump must stop
         */
        private boolean awaitUnpaused() {
            pauseLock.lock();
            try {
                while (paused && !cut.get()) {
                    unpaused.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cut();
            } finally {
                pauseLock.unlock();
            }
            return !cut.get();
        }

        void cut() {
            if (cut.compareAndSet(false, true)) {
                reset(client);
                reset(upstream);
                pairs.remove(this);
                wakePausedPumps();
            }
        }
    }

    /** Lets a pump waiting out a pause see that its pair was cut. */
    private void wakePausedPumps() {
        pauseLock.lock();
        try {
            unpaused.signalAll();
        } finally {
            pauseLock.unlock();
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed: closing again is harmless
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing more to release
        }
    }

    @Override
    public String toString() {
        return "FaultyProxy[" + address() + " -> " + target + ", open " + pairs.size() + "]";
    }
}
