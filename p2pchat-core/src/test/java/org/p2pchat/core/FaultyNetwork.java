package org.p2pchat.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.local.LocalTransportProvider;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionAcceptor;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * An in-JVM network of peers for fault tests: every peer built with this provider gets a
 * {@code local} transport whose connections can lose frames, be cut, and be partitioned.
 *
 * <ul>
 * <li>{@link #dropRate}: each frame written is lost with this probability, drawn from one seeded
 *     {@link Random}; the writer sees it succeed, as with {@link DroppingTransport}. Since frames
 *     are Noise-sealed, the receiver's next frame then fails authentication and the receiver
 *     closes the connection.
 * <li>{@link #cutRandom}: aborts one open connection chosen with the same random; both ends see
 *     it close.
 * <li>{@link #isolate} / {@link #partition}: pairs of peers that cannot reach each other: their
 *     open connections are cut, connects between them are refused, and any frame one writes to
 *     the other is dropped and its connection cut. A node that tells nobody it leaves, as when
 *     it crashes or its cable is pulled.
 * <li>{@link #heal}: no more loss, every pair reachable again.
 * </ul>
 *
 * <p>Peers are told apart by transport name ({@link TransportOptions#name()}, the peer's name) and
 * by address: a connection's two ends are matched through the listen address and the connecting
 * end's local address. Thread-safe.
 */
final class FaultyNetwork implements TransportProvider {
    private final TransportProvider inner = new LocalTransportProvider();
    private final long seed;
    private final Random random; // guarded by itself
    private volatile double dropRate;
    /** Listen addresses and connecting ends' local addresses, to the peer that holds them. */
    private final Map<PeerAddress, String> owners = new ConcurrentHashMap<>();
    private final Set<Faulty> open = ConcurrentHashMap.newKeySet();
    /** Unordered pairs "a|b" (a before b) that cannot reach each other. */
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger written = new AtomicInteger();
    /** Which connects (from, to) are held back; null holds none. */
    private volatile java.util.function.BiPredicate<String, String> hold;
    private final List<Runnable> held = new ArrayList<>(); // guarded by itself

    FaultyNetwork(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    long seed() {
        return seed;
    }

    /** Sets the probability that a frame is lost; 0 loses none. */
    void dropRate(double rate) {
        this.dropRate = rate;
    }

    /** Aborts one open connection picked at random; returns false if none is open. */
    boolean cutRandom() {
        List<Faulty> all = new ArrayList<>(open);
        if (all.isEmpty()) {
            return false;
        }
        all.sort((x, y) -> Long.compare(x.id(), y.id()));
        Faulty victim;
        synchronized (random) {
            victim = all.get(random.nextInt(all.size()));
        }
        cut(victim, "cut at random");
        return true;
    }

    /** Makes {@code peer} unreachable from every other peer, and every other from it. */
    void isolate(String peer, Iterable<String> others) {
        for (String o : others) {
            if (!o.equals(peer)) {
                block(peer, o);
            }
        }
        cutBlocked();
    }

    /** No peer of one side reaches any of the other. */
    void partition(List<String> sideA, List<String> sideB) {
        for (String a : sideA) {
            for (String b : sideB) {
                block(a, b);
            }
        }
        cutBlocked();
    }

    /**
     * Holds back every connect from one peer to another that {@code which} matches (the
     * connecting peer's name, then the called one's): it goes to the network only at
     * {@link #releaseHeld}, so that connects held together start together.
     */
    void holdConnects(java.util.function.BiPredicate<String, String> which) {
        this.hold = which;
    }

    /** How many connects are held back now. */
    int held() {
        synchronized (held) {
            return held.size();
        }
    }

    /** Stops holding connects back and lets the held ones go, all at once. */
    void releaseHeld() {
        List<Runnable> go;
        synchronized (held) {
            hold = null;
            go = List.copyOf(held);
            held.clear();
        }
        go.forEach(Runnable::run);
    }

    /** Stops every fault: no frame is lost, every pair reaches the other. */
    void heal() {
        dropRate = 0;
        blocked.clear();
    }

    int dropped() {
        return dropped.get();
    }

    int cuts() {
        return cuts.get();
    }

    int refused() {
        return refused.get();
    }

    int written() {
        return written.get();
    }

    String stats() {
        return "seed " + seed + ": " + written() + " frames written, " + dropped() + " dropped, "
                + cuts() + " connections cut, " + refused() + " connects refused";
    }

    private void block(String a, String b) {
        blocked.add(pair(a, b));
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    private boolean isBlocked(String a, String b) {
        return a != null && b != null && !blocked.isEmpty() && blocked.contains(pair(a, b));
    }

    private void cutBlocked() {
        for (Faulty c : List.copyOf(open)) {
            if (isBlocked(c.owner, c.remoteOwner())) {
                cut(c, "partitioned");
            }
        }
    }

    private void cut(Faulty c, String why) {
        if (open.remove(c)) {
            cuts.incrementAndGet();
        }
        c.inner.abort(new ConnectionClosedException(ConnectionClosedException.Reason.IO_ERROR,
                "fault injection: " + why));
    }

    private boolean lose() {
        double rate = dropRate;
        if (rate <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    @Override
    public String name() {
        return "faulty-local";
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Transport create(TransportOptions options) {
        Transport transport = inner.create(options);
        String owner = options.name();
        return new Transport() {
            @Override
            public CompletionStage<PeerAddress> listen(PeerAddress address,
                    ConnectionAcceptor acceptor) {
                return transport.listen(address, c -> {
                    Faulty wrapped = new Faulty(c, owner);
                    open.add(wrapped);
                    return new Handler(acceptor.accepted(wrapped), owner, wrapped);
                }).thenApply(bound -> {
                    owners.put(bound, owner);
                    return bound;
                });
            }

            @Override
            public CompletionStage<Connection> connect(PeerAddress remote,
                    ConnectionHandler handler) {
                if (isBlocked(owner, owners.get(remote))) {
                    refused.incrementAndGet();
                    return CompletableFuture.failedFuture(new ConnectFailedException(
                            "fault injection: " + owner + " cannot reach " + remote));
                }
                java.util.function.BiPredicate<String, String> holding = hold;
                if (holding != null && holding.test(owner, owners.get(remote))) {
                    CompletableFuture<Connection> later = new CompletableFuture<>();
                    Runnable go = () -> connectNow(remote, handler).whenComplete((c, e) -> {
                        if (e != null) {
                            later.completeExceptionally(e);
                        } else {
                            later.complete(c);
                        }
                    });
                    synchronized (held) {
                        if (hold != null) {
                            held.add(go);
                            return later;
                        }
                    }
                    go.run();
                    return later;
                }
                return connectNow(remote, handler);
            }

            private CompletionStage<Connection> connectNow(PeerAddress remote,
                    ConnectionHandler handler) {
                Handler h = new Handler(handler, owner, null);
                return transport.connect(remote, h).thenApply(c -> {
                    Faulty f = h.wrapped(c);
                    if (isBlocked(owner, f.remoteOwner())) {
                        cut(f, "partitioned while connecting");
                    }
                    return f;
                });
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    /** Hands the layer above the wrapper of each connection, made once. */
    private final class Handler implements ConnectionHandler {
        private final ConnectionHandler handler;
        private final String owner;
        private Faulty wrapped; // guarded by this

        Handler(ConnectionHandler handler, String owner, Faulty wrapped) {
            this.handler = handler;
            this.owner = owner;
            this.wrapped = wrapped;
        }

        /** The connecting end's wrapper, made on first use (a callback may come first). */
        synchronized Faulty wrapped(Connection inner) {
            if (wrapped == null) {
                wrapped = new Faulty(inner, owner);
                // The connecting end: its local address names it to the accepting end.
                owners.put(inner.localAddress(), owner);
                open.add(wrapped);
            }
            return wrapped;
        }

        private synchronized Faulty known(Connection c) {
            return wrapped != null ? wrapped : wrapped(c);
        }

        @Override
        public void onFrame(Connection c, ByteBuffer frame) {
            handler.onFrame(known(c), frame);
        }

        @Override
        public void onReadComplete(Connection c) {
            handler.onReadComplete(known(c));
        }

        @Override
        public void onClosed(Connection c, ConnectionClosedException reason) {
            Faulty f = known(c);
            open.remove(f);
            handler.onClosed(f, reason);
        }
    }

    /** One end of a connection, as the layer above sees it. */
    private final class Faulty extends LossyConnection {
        final String owner;

        Faulty(Connection inner, String owner) {
            super(Objects.requireNonNull(inner));
            this.owner = owner;
        }

        String remoteOwner() {
            return owners.get(inner.remoteAddress());
        }

        /** Whether the frame is lost; a lost one is consumed as a written one would be. */
        @Override
        boolean lost(ByteBuffer frame) {
            if (!inner.isOpen()) {
                return false; // fails as usual
            }
            written.incrementAndGet();
            if (isBlocked(owner, remoteOwner())) {
                dropped.incrementAndGet();
                cut(this, "partitioned");
                return true;
            }
            if (!lose()) {
                return false;
            }
            dropped.incrementAndGet();
            return true;
        }

        @Override
        public String toString() {
            return "Faulty[" + owner + " " + inner + "]";
        }
    }
}
