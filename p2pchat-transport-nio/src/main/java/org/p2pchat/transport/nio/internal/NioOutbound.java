package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.FrameTooLargeException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.spi.Ticker;

/**
 * The sending half of a {@link NioConnection}: checks and queues frames, and flushes the queue
 * with gathering writes.
 *
 * <p><b>Threading:</b> {@link #write} and {@link #send} run on any thread; when the queue was
 * idle, a thread other than the loop may write its frame to the socket itself (see
 * {@link NioOutboundQueue#enqueue}), and a {@code send} whose frame went out whole that way
 * completes its own stage before returning it. {@link #flush} and every other send-stage
 * completion run on the event loop only.
 */
final class NioOutbound {
    /** {@link #flush} result: everything queued has been written. */
    static final int EMPTY = 0;
    /** {@link #flush} result: bytes remain; the loop will come back to them. */
    static final int PENDING = 1;
    /** Gathering writes per flush before yielding to the other connections. */
    private static final int MAX_FLUSH_ROUNDS = 8;

    private final NioConnection connection;
    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final Ticker ticker;
    private final int maxFrameBytes;
    private final long queueLimit;
    private final NioOutboundQueue queue;
    private final ArrayList<CompletableFuture<Void>> stages = new ArrayList<>();
    private SelectionKey key;
    /** Volatile only so tests can see it; written on the loop when the socket fills or drains. */
    private volatile boolean writeInterest;
    /** Written by the loop and by callers that write directly. */
    private volatile long lastWriteTick;

    NioOutbound(NioConnection connection, NioTransport transport, SocketChannel channel, long now) {
        this.connection = connection;
        this.loop = transport.loop();
        this.channel = channel;
        this.ticker = transport.options().ticker();
        this.maxFrameBytes = transport.options().maxFrameBytes();
        this.queueLimit = transport.options().writeQueueLimitBytes();
        this.queue = new NioOutboundQueue(transport.chunks(), queueLimit, connection.toString());
        this.lastWriteTick = now;
    }

    void key(SelectionKey selectionKey) {
        this.key = selectionKey;
    }

    NioOutboundQueue queue() {
        return queue;
    }

    void write(ByteBuffer frame) {
        checkLength(frame.remaining());
        int action = queue.enqueue(frame, null, !loop.inLoop());
        if (action == NioOutboundQueue.WRITE_NOW) {
            writeFromCaller(null);
        } else if (action == NioOutboundQueue.SCHEDULE) {
            loop.schedule(connection);
        }
    }

    CompletionStage<Void> send(ByteBuffer frame) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        int action;
        try {
            checkLength(frame.remaining());
            action = queue.enqueue(frame, stage, !loop.inLoop());
        } catch (P2pChatException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (action == NioOutboundQueue.WRITE_NOW) {
            writeFromCaller(stage);
        } else if (action == NioOutboundQueue.SCHEDULE) {
            loop.schedule(connection);
        }
        return stage;
    }

    private void checkLength(int length) {
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException("a frame of " + length + " bytes for " + connection
                    + " is over the maximum of " + maxFrameBytes + " (p2pchat.maxFrameBytes)");
        }
        if (NioOutboundQueue.PREFIX + (long) length > queueLimit) {
            throw new WriteQueueFullException("a frame of " + length + " bytes for " + connection
                    + " can never fit the write queue limit of " + queueLimit
                    + " bytes (p2pchat.writeQueueLimitBytes)");
        }
    }

    /**
     * The calling thread writes what it just queued; the loop takes over anything left. If the
     * caller's frame went out whole, the caller completes its stage; otherwise the stage stays
     * queued and the loop completes or fails it, as for any other.
     *
     * @param stage the stage of the frame just queued, or null for {@code write}
     */
    private void writeFromCaller(CompletableFuture<Void> stage) {
        boolean failed = false;
        try {
            if (queue.prepare() > 0 && queue.writePrepared(channel) > 0) {
                lastWriteTick = ticker.nanoTime();
            }
        } catch (IOException e) {
            // The loop meets the same error on its own write and closes the connection there.
            failed = true;
        }
        int released = queue.releaseFromCaller(failed, stage);
        if ((released & NioOutboundQueue.SENT) != 0) {
            // Outside the queue's lock, and possibly after the loop has already completed stages
            // of frames queued behind this one. No one can tell: send() has not returned this
            // stage yet, so nothing else holds it or depends on it, and nobody can see it pending
            // while a later stage is done. Its completion takes effect, as far as anyone can
            // observe, when its last byte was written: before any later frame's.
            stage.complete(null);
        }
        if ((released & NioOutboundQueue.HAND_OVER) != 0) {
            loop.schedule(connection);
        }
    }

    /**
     * Event loop: writes what is queued, unless a calling thread is writing right now (it hands
     * the rest over when done), then completes the stages of the frames written.
     *
     * @param now the loop iteration's ticker time
     * @return {@link #EMPTY} or {@link #PENDING}
     * @throws IOException if the socket failed
     */
    int flush(long now) throws IOException {
        if (!queue.acquireForLoop()) {
            return PENDING;
        }
        boolean socketFull = false;
        for (int round = 0; round < MAX_FLUSH_ROUNDS && !socketFull; round++) {
            long offered = queue.prepare();
            if (offered == 0) {
                break;
            }
            long written = queue.writePrepared(channel);
            if (written > 0) {
                lastWriteTick = now;
            }
            socketFull = written < offered;
        }
        queue.collectWritten(stages);
        completeStages(null);
        if (queue.releaseFromLoop()) {
            setWriteInterest(false);
            return EMPTY;
        }
        if (socketFull) {
            setWriteInterest(true);
        } else {
            loop.schedule(connection);
        }
        return PENDING;
    }

    private void setWriteInterest(boolean on) {
        if (on != writeInterest && key != null && key.isValid()) {
            writeInterest = on;
            key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Event loop: drops the queue and fails the stages still waiting. */
    void closed(ConnectionClosedException reason) {
        queue.dispose(reason, stages);
        completeStages(reason);
    }

    private void completeStages(ConnectionClosedException failure) {
        for (int i = 0; i < stages.size(); i++) {
            if (failure == null) {
                stages.get(i).complete(null);
            } else {
                stages.get(i).completeExceptionally(failure);
            }
        }
        stages.clear();
    }

    static ConnectionClosedException writeFailed(NioConnection c, IOException e) {
        return new ConnectionClosedException(Reason.IO_ERROR,
                c + " failed while writing: " + e.getMessage(), e);
    }

    boolean writeInterest() {
        return writeInterest;
    }

    long lastWriteTick() {
        return lastWriteTick;
    }
}
