package org.p2pchat.core;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;

/**
 * A connection that hands everything to the one it wraps, except the frames {@link #lost} says
 * are lost: those are consumed as a written frame would be, so the writer cannot tell. For the
 * fault-injecting transports of the tests; thread-safe as the wrapped connection is.
 */
abstract class LossyConnection implements Connection {
    /** The wrapped connection. */
    final Connection inner;

    LossyConnection(Connection inner) {
        this.inner = inner;
    }

    /**
     * Decides whether a frame is lost. One that is not must still fail as the inner connection
     * would fail it (closed, too large), so decide "not lost" for those.
     *
     * @param frame the frame about to be written
     * @return true to lose it
     */
    abstract boolean lost(ByteBuffer frame);

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
        if (lost(frame)) {
            frame.position(frame.limit());
        } else {
            inner.write(frame);
        }
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer frame) {
        if (lost(frame)) {
            frame.position(frame.limit());
            return CompletableFuture.completedFuture(null);
        }
        return inner.send(frame);
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
}
