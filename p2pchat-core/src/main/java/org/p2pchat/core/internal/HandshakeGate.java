package org.p2pchat.core.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.spi.Connection;
import org.slf4j.Logger;

/**
 * What a connection goes through before its peer is trusted: small frames only, a deadline, and,
 * for accepted connections, a cap on how many may be at that stage at once. A stranger can make a
 * peer hold at most {@code maxHandshakes} connections of 1 KiB frames for the handshake timeout.
 * Thread-safe; its deadlines run on the node's timer.
 */
final class HandshakeGate {
    private final String peerName;
    private final Duration timeout;
    private final int maxHandshakes;
    private final ScheduledExecutorService timer;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final RefusalLog refusals;

    HandshakeGate(String peerName, Duration timeout, int maxHandshakes,
            ScheduledExecutorService timer, Logger log) {
        this.peerName = peerName;
        this.timeout = timeout;
        this.maxHandshakes = maxHandshakes;
        this.timer = timer;
        this.refusals = new RefusalLog(log, peerName + ": closed connections beyond " + maxHandshakes
                + " handshakes in progress (p2pchat.maxHandshakes)");
    }

    Duration timeout() {
        return timeout;
    }

    /** A connection this peer opened: its handshake starts now. Event loop. */
    void opened(LinkHandler handler, Connection connection) {
        // Until the acceptor has proved its key, it may send only small frames.
        connection.maxInboundFrameBytes(LinkHandler.HANDSHAKE_FRAME_BYTES);
        expireLater(handler, connection);
    }

    /**
     * An accepted connection: admits it to the handshake, or closes it when too many are in
     * progress. Event loop.
     *
     * @return whether it was admitted
     */
    boolean admit(LinkHandler handler, Connection connection) {
        // A stranger may announce only small frames until its key is trusted.
        connection.maxInboundFrameBytes(LinkHandler.HANDSHAKE_FRAME_BYTES);
        if (inProgress.incrementAndGet() > maxHandshakes) {
            inProgress.decrementAndGet();
            refusals.refused(connection.remoteAddress());
            connection.abort(new ConnectionClosedException(Reason.CONNECTION_LIMIT,
                    "too many handshakes in progress"));
            return false;
        }
        handler.countedAsHandshake = true;
        expireLater(handler, connection);
        return true;
    }

    private void expireLater(LinkHandler handler, Connection connection) {
        try {
            handler.expiry = timer.schedule(() -> handler.expire(connection), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            connection.abort(new ConnectionClosedException(Reason.TRANSPORT_CLOSED,
                    peerName + " is closed"));
        }
    }

    /** A handler left its handshake, either way: cancels its deadline and frees its place. */
    void ended(LinkHandler handler) {
        Future<?> expiry = handler.expiry;
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (handler.countedAsHandshake) {
            handler.countedAsHandshake = false;
            inProgress.decrementAndGet();
        }
    }
}
