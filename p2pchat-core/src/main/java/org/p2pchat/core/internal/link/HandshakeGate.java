package org.p2pchat.core.internal.link;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.core.internal.runtime.ThrottledLog;
import org.p2pchat.spi.Connection;
import org.slf4j.Logger;

/**
 * What a connection goes through before its peer is trusted: small frames only, a deadline, and,
 * for accepted connections, the {@link HandshakeAdmission} limits on how many may be at that
 * stage at once, from one source and from all strangers, and how fast new ones may come. A
 * refused connection is closed before this peer does any Diffie-Hellman for it, so a stranger
 * can make a peer hold at most {@code maxHandshakes} connections of 1 KiB frames for the
 * handshake timeout, and spend X25519 work on at most the admission rate. Refusals are logged at
 * most once a second. Thread-safe; its deadlines run on the node's timer.
 */
public final class HandshakeGate {
    private final String peerName;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final HandshakeAdmission admission;
    /** The places taken by accepted connections still in their handshake. */
    private final Map<LinkHandler, HandshakeAdmission.Place> admitted = new ConcurrentHashMap<>();
    private final ThrottledLog refusals;

    public HandshakeGate(String peerName, Duration timeout, HandshakeAdmission admission,
            ScheduledExecutorService timer, Logger log) {
        this.peerName = peerName;
        this.timeout = timeout;
        this.admission = admission;
        this.timer = timer;
        this.refusals = new ThrottledLog(log);
    }

    public Duration timeout() {
        return timeout;
    }

    /** A connection this peer opened: its handshake starts now. Event loop. */
    public void opened(LinkHandler handler, Connection connection) {
        // Until the acceptor has proved its key, it may send only small frames.
        connection.maxInboundFrameBytes(LinkHandler.HANDSHAKE_FRAME_BYTES);
        expireLater(handler, connection);
    }

    /**
     * An accepted connection: admits it to the handshake, or closes it at once. Event loop.
     *
     * @return whether it was admitted
     */
    public boolean admit(LinkHandler handler, Connection connection) {
        // A stranger may announce only small frames until its key is trusted.
        connection.maxInboundFrameBytes(LinkHandler.HANDSHAKE_FRAME_BYTES);
        HandshakeAdmission.Place place = admission.admit(connection.remoteAddress().host());
        if (!place.admitted()) {
            refusals.warn("{}: refused a connection from {} before its handshake: {}", peerName,
                    connection.remoteAddress(), place.verdict().why());
            connection.abort(new ConnectionClosedException(Reason.CONNECTION_LIMIT,
                    place.verdict().why()));
            return false;
        }
        admitted.put(handler, place);
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
    public void ended(LinkHandler handler) {
        Future<?> expiry = handler.expiry;
        if (expiry != null) {
            expiry.cancel(false);
        }
        HandshakeAdmission.Place place = admitted.remove(handler);
        if (place != null) {
            admission.ended(place);
        }
    }
}
