package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of a {@link NioTransport}.
 *
 * <p><b>Threading:</b> the {@link Connection} methods are called from any thread and never block:
 * {@code write}/{@code send} copy the frame into the {@link NioOutboundQueue}; {@code close} and
 * {@code abort} record the request and schedule the connection on the event loop, which carries
 * it out. Reading ({@link NioInbound}), flushing, closing and every handler call run on the
 * event-loop thread, so the handler sees one call at a time and {@code onClosed} exactly once,
 * after the last {@code onFrame}.
 */
final class NioConnection implements Connection, NioSelectable {
    private static final Logger LOG = LoggerFactory.getLogger(NioConnection.class);

    private final long id;
    private final NioTransport transport;
    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final PeerAddress remote;
    private final PeerAddress local;
    private final String name;
    private final NioOutbound out;
    private final NioInbound in;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Next in the event loop's stack of scheduled connections. */
    NioConnection nextScheduled;
    /** Index in the transport's connection list, for O(1) removal. */
    int index = -1;

    // Event-loop state.
    private SelectionKey key;
    private boolean terminated;
    private ConnectionClosedException drainReason;
    private long drainDeadline;
    private boolean outputShut;

    // Written by any thread.
    private volatile ConnectionClosedException closeCause;
    private volatile ConnectionClosedException closeRequest;
    private volatile ConnectionClosedException abortCause;

    NioConnection(long id, NioTransport transport, SocketChannel channel, PeerAddress remote,
            PeerAddress local, long now) {
        this.id = id;
        this.transport = transport;
        this.loop = transport.loop();
        this.channel = channel;
        this.remote = remote;
        this.local = local;
        this.name = "connection " + id + " to " + remote;
        this.out = new NioOutbound(this, transport, channel, now);
        this.in = new NioInbound(this, transport.options().maxFrameBytes(), loop.readBuffers(), now);
    }

    /** Event loop: takes over the channel's selection key, not yet reading. */
    void register(SelectionKey selectionKey) {
        this.key = selectionKey;
        out.key(selectionKey);
        selectionKey.attach(this);
        selectionKey.interestOps(0);
    }

    /** Event loop: attaches the handler and starts reading. */
    void start(ConnectionHandler handler) {
        in.handler(handler);
        if (!terminated) {
            key.interestOps(SelectionKey.OP_READ | (out.writeInterest() ? SelectionKey.OP_WRITE : 0));
        }
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
        return closeCause == null;
    }

    @Override
    public void write(ByteBuffer frame) {
        out.write(frame);
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer frame) {
        return out.send(frame);
    }

    @Override
    public void maxInboundFrameBytes(int bytes) {
        in.maxFrameBytes(bytes);
    }

    @Override
    public void close() {
        ConnectionClosedException reason = new ConnectionClosedException(Reason.LOCAL_CLOSE,
                name + " was closed by this side");
        if (out.queue().refuse(reason)) {
            closeRequest = reason;
            setCloseCause(reason);
            loop.schedule(this);
        }
    }

    @Override
    public void abort(ConnectionClosedException reason) {
        Objects.requireNonNull(reason, "reason");
        out.queue().refuse(reason);
        if (abortCause == null) {
            abortCause = reason;
        }
        setCloseCause(reason);
        loop.schedule(this);
    }

    private void setCloseCause(ConnectionClosedException reason) {
        if (closeCause == null) {
            closeCause = reason;
        }
    }

    ConnectionClosedException abortCause() {
        return abortCause;
    }

    String transportName() {
        return transport.name();
    }

    boolean markScheduled() {
        return !scheduled.get() && scheduled.compareAndSet(false, true);
    }

    void clearScheduled() {
        scheduled.set(false);
    }

    /** Event loop, after a frame arrived: a reply may go straight from the caller's thread. */
    void frameArrived() {
        out.queue().allowDirect();
    }

    /** Event loop: carries out what other threads asked for. */
    void service(long now) {
        if (terminated) {
            return;
        }
        ConnectionClosedException abort = abortCause;
        ConnectionClosedException request = closeRequest;
        if (abort != null) {
            terminate(abort);
        } else if (request != null && drainReason == null) {
            drain(request, now);
        } else {
            flush(now);
        }
    }

    /** Event loop: the transport's close timeout is up; close whatever state this is in. */
    void closeNow() {
        terminate(drainReason != null ? drainReason : new ConnectionClosedException(
                Reason.TRANSPORT_CLOSED, name + " was closed with its transport"));
    }

    /** Event loop: the transport is closing; write what is queued, then close. */
    void transportClosing(long now) {
        drain(new ConnectionClosedException(Reason.TRANSPORT_CLOSED,
                name + " was closed with its transport"), now);
    }

    /**
     * Event loop: refuses new frames, writes the queued ones, then half-closes and closes; all of
     * it within the close timeout, after which the socket is closed regardless.
     */
    private void drain(ConnectionClosedException reason, long now) {
        if (terminated || drainReason != null) {
            return;
        }
        out.queue().refuse(reason);
        setCloseCause(reason);
        drainReason = reason;
        drainDeadline = System.nanoTime() + transport.options().closeTimeout().toNanos();
        transport.drainStarted();
        flush(now);
    }

    @Override
    public void ready(SelectionKey selectionKey, long now) {
        int ops = selectionKey.readyOps();
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            flush(now);
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !terminated) {
            ConnectionClosedException reason = in.read(channel, now);
            if (reason != null) {
                // A close we started ends as ours even if the remote side's FIN comes first.
                terminate(drainReason != null && reason.reason() == Reason.REMOTE_CLOSE
                        ? drainReason : reason);
            }
        }
    }

    /** Event loop: flushes, and completes a close in progress once the queue is empty. */
    private void flush(long now) {
        if (terminated) {
            return;
        }
        int state;
        try {
            state = out.flush(now);
        } catch (IOException e) {
            terminate(NioOutbound.writeFailed(this, e));
            return;
        }
        if (state == NioOutbound.EMPTY && drainReason != null && !outputShut) {
            halfClose();
        }
    }

    /**
     * Event loop, once a close has written everything: sends FIN and waits (within the close
     * timeout) for the remote side's own FIN. Closing at once would turn into a reset whenever
     * unread bytes are still arriving, and a reset can destroy our last frames in the remote
     * side's receive buffer before its application reads them.
     */
    private void halfClose() {
        outputShut = true;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            terminate(drainReason);
        }
    }

    /**
     * Event loop: closes the socket now, fails the sends still queued and tells the handler.
     *
     * @param reason what the handler and later writes see
     */
    void terminate(ConnectionClosedException reason) {
        if (terminated) {
            return;
        }
        terminated = true;
        closeCause = reason;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: closing {} failed", transport.name(), name, e);
        }
        transport.removed(this, drainReason != null);
        LOG.debug("{}: {} closed: {}", transport.name(), name, reason.reason());
        out.closed(reason);
        in.closed(reason);
    }

    /**
     * Event loop: the idle timeout has passed. A close or abort asked for before is carried out
     * as asked (the loop may not have got to it yet), and a connection already closing ends with
     * the reason of that close: the idle timeout only reports itself when it is the cause.
     *
     * @param idle the idle-timeout reason
     * @param now the loop iteration's ticker time
     */
    void idleTimedOut(ConnectionClosedException idle, long now) {
        ConnectionClosedException abort = abortCause;
        ConnectionClosedException request = closeRequest;
        if (abort != null) {
            terminate(abort);
        } else if (drainReason == null && request != null) {
            drain(request, now);
        } else {
            terminate(drainReason != null ? drainReason : idle);
        }
    }

    /** Event loop: the ticker time after which this connection counts as idle. */
    long idleDeadline(long idleNanos) {
        long lastWrite = out.lastWriteTick();
        long lastRead = in.lastReadTick();
        return (lastWrite - lastRead > 0 ? lastWrite : lastRead) + idleNanos;
    }

    /** Event loop: closes a draining connection whose close timeout has passed. */
    void checkDrainDeadline(long systemNanos) {
        if (drainReason != null && systemNanos - drainDeadline >= 0) {
            LOG.debug("{}: {} did not finish closing within the close timeout{}", transport.name(),
                    name, outputShut ? " (the remote side did not close its end)" : "");
            terminate(drainReason);
        }
    }

    /** Whether the socket's send buffer was full at the last flush (the loop awaits OP_WRITE). */
    boolean awaitingWritable() {
        return out.writeInterest();
    }

    long queuedBytes() {
        return out.queue().queuedBytes();
    }

    /** Whether the next write or send into an idle queue may go out from the caller's thread. */
    boolean directWriteAllowed() {
        return out.queue().directAllowed();
    }

    @Override
    public String toString() {
        return name;
    }
}
