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
 * can echo frames back. It also checks how {@link #onReadComplete} is placed among the other
 * callbacks.
 *
 * <p>Called on the transport's event-loop thread; the test thread reads what it recorded, which
 * is safe at any time (each count has one writer, the loop).
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
    private volatile int readCompletes;
    private volatile int framesAwaitingReadComplete;
    private volatile int misplacedReadCompletes;
    /** Where the last frame arrived; loop thread only. */
    private Thread frameThread;
    private Connection frameConnection;

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
        framesAwaitingReadComplete++;
        frameThread = Thread.currentThread();
        frameConnection = c;
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(copy);
        if (echo) {
            c.write(ByteBuffer.wrap(copy));
        }
    }

    @Override
    public void onReadComplete(Connection c) {
        if (closed.isDone()) {
            callbacksWhileClosed++;
        }
        readCompletes++;
        // It ends a run of frames, so it must follow at least one, on their thread and connection.
        if (framesAwaitingReadComplete == 0 || frameThread != Thread.currentThread()
                || frameConnection != c) {
            misplacedReadCompletes++;
        }
        framesAwaitingReadComplete = 0;
    }

    @Override
    public void onClosed(Connection c, ConnectionClosedException reason) {
        connection.complete(c);
        if (!closed.complete(reason)) {
            callbacksWhileClosed++;
        }
    }

    /**
     * Counts {@link #onReadComplete} calls.
     *
     * @return the count
     */
    public int readCompletes() {
        return readCompletes;
    }

    /**
     * Counts frames received since the last {@link #onReadComplete}.
     *
     * @return the count, 0 once every frame's run has been completed
     */
    public int framesAwaitingReadComplete() {
        return framesAwaitingReadComplete;
    }

    /**
     * Counts {@link #onReadComplete} calls that did not end a run of frames: with no frame since
     * the previous one, or on another thread or connection than the last frame's.
     *
     * @return the count, 0 when the transport behaved
     */
    public int misplacedReadCompletes() {
        return misplacedReadCompletes;
    }

    /**
     * Counts callbacks that broke the contract: frames or read completions after close, or a
     * second close.
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
