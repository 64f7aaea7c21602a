package org.p2pchat.core;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;

/**
 * A connection of a {@link DroppingTransport}: writes go to the inner connection unless the
 * provider's armed rule claims them. Thread-safe, as the inner connection is; never blocks.
 */
final class DroppingConnection implements Connection {
    private final Connection inner;
    private final DroppingTransport faults;
    private final int maxFrameBytes;

    DroppingConnection(Connection inner, DroppingTransport faults, int maxFrameBytes) {
        this.inner = inner;
        this.faults = faults;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public long id() {
        return inner.id();
    }

    @Override
    public PeerAddress remoteAddress() {
        return inner.remoteAddress();
    }

    @Override
    public PeerAddress localAddress() {
        return inner.localAddress();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void write(ByteBuffer frame) {
        if (!lost(frame)) {
            inner.write(frame);
        }
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer frame) {
        return lost(frame) ? CompletableFuture.completedFuture(null) : inner.send(frame);
    }

    /** Consumes a dropped frame as a written one would be, so the writer cannot tell. */
    private boolean lost(ByteBuffer frame) {
        // A frame the inner connection would refuse must fail as usual, not vanish.
        if (!inner.isOpen() || frame.remaining() > maxFrameBytes || !faults.claimDrop(frame)) {
            return false;
        }
        frame.position(frame.limit());
        return true;
    }

    @Override
    public void maxInboundFrameBytes(int bytes) {
        inner.maxInboundFrameBytes(bytes);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public void abort(ConnectionClosedException reason) {
        inner.abort(reason);
    }

    @Override
    public String toString() {
        return "Dropping[" + inner + "]";
    }
}
