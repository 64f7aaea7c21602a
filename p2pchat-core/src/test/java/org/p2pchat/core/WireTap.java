package org.p2pchat.core;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A local transport that keeps a copy of every frame written, as an eavesdropper would, and can
 * flip one bit of one frame on the way, as an attacker on the path would.
 */
final class WireTap implements TransportProvider {
    final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile int tamperFrame = -1;
    private volatile int tamperBit;

    /** Flips one bit of the n-th frame written (0-based, across all connections). */
    WireTap flipBit(int frame, int bit) {
        this.tamperFrame = frame;
        this.tamperBit = bit;
        return this;
    }
    private final TransportProvider local = new LocalTransportProvider();

    @Override
    public String name() {
        return "tapped-local";
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Transport create(TransportOptions options) {
        Transport inner = local.create(options);
        return new Transport() {
            @Override
            public CompletionStage<PeerAddress> listen(PeerAddress address, ConnectionAcceptor acceptor) {
                return inner.listen(address, c -> acceptor.accepted(tap(c)));
            }

            @Override
            public CompletionStage<Connection> connect(PeerAddress remote, ConnectionHandler handler) {
                connects.incrementAndGet();
                return inner.connect(remote, handler).thenApply(WireTap.this::tap);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private Connection tap(Connection c) {
        return new Connection() {
            @Override
            public long id() {
                return c.id();
            }

            @Override
            public PeerAddress remoteAddress() {
                return c.remoteAddress();
            }

            @Override
            public PeerAddress localAddress() {
                return c.localAddress();
            }

            @Override
            public boolean isOpen() {
                return c.isOpen();
            }

            @Override
            public void write(ByteBuffer frame) {
                c.write(record(frame));
            }

            @Override
            public CompletionStage<Void> send(ByteBuffer frame) {
                return c.send(record(frame));
            }

            @Override
            public void maxInboundFrameBytes(int bytes) {
                c.maxInboundFrameBytes(bytes);
            }

            @Override
            public void close() {
                c.close();
            }

            @Override
            public void abort(ConnectionClosedException reason) {
                c.abort(reason);
            }
        };
    }

    private ByteBuffer record(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(copy.clone());
        if (written.getAndIncrement() == tamperFrame && tamperBit / 8 < copy.length) {
            copy[tamperBit / 8] ^= (byte) (1 << (tamperBit % 8));
        }
        return ByteBuffer.wrap(copy);
    }

    /** How many connections were opened through this transport. */
    int connections() {
        return connects.get();
    }

    int framesWritten() {
        return written.get();
    }
}
