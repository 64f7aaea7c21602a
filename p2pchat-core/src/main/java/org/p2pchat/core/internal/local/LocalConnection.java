package org.p2pchat.core.internal.local;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.FrameTooLargeException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of an in-JVM connection. A frame written here is copied into the other end's inbox,
 * which that end's event loop drains, so frames from one writer thread arrive in order; a close
 * travels through the same inbox after the frames written before it, so nothing written before
 * {@link #close()} is lost; after {@link #abort} the handler gets nothing but its
 * {@code onClosed}. The bytes handed over and not yet read count against the write queue limit.
 * Thread-safe.
 *
 * <p>The loop reads the frames that queued up together as one run and then calls
 * {@link ConnectionHandler#onReadComplete} once, as a socket read of several frames does: a
 * handler that acknowledges per read then answers a burst with one frame, not one per frame.
 */
final class LocalConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(LocalConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    /** Frames read in one run at most, so one busy connection cannot hold the loop. */
    private static final int MAX_FRAMES_PER_RUN = 256;

    /** A handler for connections whose acceptor failed: they close at once. */
    static final ConnectionHandler IGNORING = new ConnectionHandler() {
        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
        }

        @Override
        public void onClosed(Connection connection, ConnectionClosedException reason) {
        }
    };

    private final long id = IDS.incrementAndGet();
    private final LocalTransport transport;
    private final PeerAddress local;
    private final PeerAddress remote;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** Frames ({@code byte[]}) and at most one close ({@link ConnectionClosedException}). */
    private final Queue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile ConnectionHandler handler;
    private volatile LocalConnection peer;
    private volatile long lastActivity;
    private volatile ConnectionClosedException closeReason;
    /**
     * Set by {@link #abort}: the layer above gave up on the connection, so nothing more of it
     * reaches the handler (as with nio), while a plain {@link #close()} still reads what arrives
     * until the close is carried out.
     */
    private volatile boolean aborted;
    private volatile int maxInboundFrameBytes;

    LocalConnection(LocalTransport transport, PeerAddress local, PeerAddress remote,
            ConnectionHandler handler) {
        this.transport = transport;
        this.local = local;
        this.remote = remote;
        this.handler = handler;
        this.lastActivity = transport.options().ticker().nanoTime();
        this.maxInboundFrameBytes = transport.options().maxFrameBytes();
    }

    static void pair(LocalConnection a, LocalConnection b) {
        a.peer = b;
        b.peer = a;
    }

    void handler(ConnectionHandler h) {
        this.handler = h;
    }

    LocalTransport transport() {
        return transport;
    }

    long lastActivity() {
        return lastActivity;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public PeerAddress remoteAddress() {
        return remote;
    }

    @Override
    public PeerAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return state.get() == OPEN;
    }

    @Override
    public void write(ByteBuffer frame) {
        if (state.get() != OPEN) {
            ConnectionClosedException reason = closeReason;
            throw reason != null ? reason : new ConnectionClosedException(Reason.LOCAL_CLOSE,
                    "connection " + id + " to " + remote + " is closing");
        }
        int length = frame.remaining();
        int max = transport.options().maxFrameBytes();
        if (length > max) {
            throw new FrameTooLargeException("frame of " + length + " bytes exceeds the maximum of "
                    + max + " (p2pchat.maxFrameBytes)");
        }
        long limit = transport.options().writeQueueLimitBytes();
        if (queuedBytes.addAndGet(length) > limit) {
            queuedBytes.addAndGet(-length);
            throw new WriteQueueFullException("write queue of connection " + id + " to " + remote
                    + " would exceed its limit of " + limit + " bytes (p2pchat.writeQueueLimitBytes)");
        }
        byte[] copy = new byte[length];
        frame.get(copy);
        lastActivity = transport.options().ticker().nanoTime();
        peer.hand(copy);
    }

    /**
     * Writes a frame as {@link #write} does; its stage completes on this end's loop, behind what
     * the loop has to do already. So the stages of a connection complete in order, failures
     * included, and a writer that waits for a frame's stage before it writes the next (the
     * delivery layer does) packs what queued meanwhile into one frame, as it does over a socket;
     * completed at once, every message would go in a frame of its own.
     */
    @Override
    public CompletionStage<Void> send(ByteBuffer frame) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        Runnable complete;
        try {
            write(frame);
            complete = () -> written.complete(null);
        } catch (P2pChatException e) {
            complete = () -> written.completeExceptionally(e);
        }
        if (!transport.runOnLoop(complete)) {
            // The transport is closed, its loop gone: nothing else will complete it.
            complete.run();
        }
        return written;
    }

    /** Any thread: puts a frame or a close in this end's inbox and makes sure the loop reads it. */
    private void hand(Object item) {
        inbox.add(item);
        if (drainScheduled.compareAndSet(false, true)) {
            transport.runOnLoop(this::drain);
        }
    }

    /** Runs on this end's loop: reads one run of frames from the inbox. */
    private void drain() {
        boolean read = false;
        try {
            for (int i = 0; i < MAX_FRAMES_PER_RUN; i++) {
                Object item = inbox.poll();
                if (item == null) {
                    break;
                }
                if (item instanceof byte[] frame) {
                    read |= receive(frame);
                } else {
                    // The frames before the close end their run first, as a read before EOF does.
                    endRun(read);
                    read = false;
                    closeNow((ConnectionClosedException) item);
                }
            }
            endRun(read);
        } catch (RuntimeException e) {
            LOG.error("{}: handler of connection {} threw; closing it", transport.options().name(),
                    id, e);
            closeNow(new ConnectionClosedException(Reason.PROTOCOL_ERROR, "handler failed: " + e, e));
        } finally {
            drainScheduled.set(false);
            // A writer that found the flag still set left its frame for this run: read it now.
            if (!inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
                transport.runOnLoop(this::drain);
            }
        }
    }

    private void endRun(boolean read) {
        if (read && state.get() != CLOSED && !aborted) {
            handler.onReadComplete(this);
        }
    }

    /** Runs on this end's loop; returns whether the handler saw the frame. */
    private boolean receive(byte[] frame) {
        peer.queuedBytes.addAndGet(-frame.length);
        if (state.get() == CLOSED || aborted) {
            return false;
        }
        int max = maxInboundFrameBytes;
        if (frame.length > max) {
            LOG.warn("{}: closing connection {} from {}: frame of {} bytes exceeds the maximum of {}",
                    transport.options().name(), id, remote, frame.length, max);
            closeNow(new ConnectionClosedException(Reason.FRAME_TOO_LARGE, "received a frame of "
                    + frame.length + " bytes; the maximum is " + max));
            return false;
        }
        lastActivity = transport.options().ticker().nanoTime();
        handler.onFrame(this, ByteBuffer.wrap(frame).asReadOnlyBuffer());
        return true;
    }

    @Override
    public void maxInboundFrameBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative frame limit: " + bytes);
        }
        maxInboundFrameBytes = Math.min(bytes, transport.options().maxFrameBytes());
    }

    @Override
    public void close() {
        closeLater(new ConnectionClosedException(Reason.LOCAL_CLOSE,
                "connection " + id + " to " + remote + " closed"));
    }

    @Override
    public void abort(ConnectionClosedException reason) {
        aborted = true;
        closeLater(reason);
    }

    private void closeLater(ConnectionClosedException reason) {
        if (state.compareAndSet(OPEN, CLOSING)) {
            closeReason = reason;
            transport.runOnLoop(() -> closeNow(reason));
        }
    }

    /** Runs on this end's loop: reports the close once and tells the other end. */
    void closeNow(ConnectionClosedException reason) {
        if (state.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        // A close or abort asked for first is what closed it, even if a remote close or a bad
        // frame was read before the loop got to it.
        ConnectionClosedException reported = closeReason;
        if (reported == null) {
            reported = reason;
            closeReason = reported;
        }
        transport.forget(this);
        try {
            handler.onClosed(this, reported);
        } catch (RuntimeException e) {
            LOG.error("{}: handler of connection {} threw on close", transport.options().name(), id, e);
        }
        LocalConnection other = peer;
        if (other != null) {
            other.hand(new ConnectionClosedException(Reason.REMOTE_CLOSE,
                    "connection " + other.id + " closed by " + local));
        }
    }

    @Override
    public String toString() {
        return "LocalConnection[" + id + " " + local + " -> " + remote + "]";
    }
}
