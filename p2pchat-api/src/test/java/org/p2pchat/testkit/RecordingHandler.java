package org.p2pchat.testkit;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;

/**
 * A {@link ConnectionHandler} that records copies of received frames and the close reason, and
 * can echo frames back.
 */
public final class RecordingHandler implements ConnectionHandler {
    /** Received frames, copied. */
    public final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    /** Completed with the close reason. */
    public final CompletableFuture<ConnectionClosedException> closed = new CompletableFuture<>();
    /** Completed with the connection when the first callback names it. */
    public final CompletableFuture<Connection> connection = new CompletableFuture<>();
    private final boolean echo;
    private volatile int callbacksWhileClosed;

    private RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    /**
     * Returns a handler that records.
     *
     * @return a new handler
     */
    public static RecordingHandler recording() {
        return new RecordingHandler(false);
    }

    /**
     * Returns a handler that records and writes every frame back.
     *
     * @return a new handler
     */
    public static RecordingHandler echoing() {
        return new RecordingHandler(true);
    }

    @Override
    public void onFrame(Connection c, ByteBuffer frame) {
        if (closed.isDone()) {
            callbacksWhileClosed++;
        }
        connection.complete(c);
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(copy);
        if (echo) {
            c.write(ByteBuffer.wrap(copy));
        }
    }

    @Override
    public void onClosed(Connection c, ConnectionClosedException reason) {
        connection.complete(c);
        if (!closed.complete(reason)) {
            callbacksWhileClosed++;
        }
    }

    /**
     * Counts callbacks that broke the contract: frames after close, or a second close.
     *
     * @return the count, 0 when the transport behaved
     */
    public int callbacksAfterClose() {
        return callbacksWhileClosed;
    }

    /**
     * Waits for the close and returns its reason.
     *
     * @return the reason
     */
    public ConnectionClosedException.Reason awaitClose() {
        return Await.result(closed).reason();
    }
}
