package org.p2pchat.core.internal.observe;

import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.spi.Connection;

/**
 * What one connection tells the Flight Recorder and its node's counters: that it opened, that
 * its handshake completed or failed and how long that took, and that it closed, why and after
 * how long. Its events are made when it opens, and only if the Flight Recorder records them then;
 * a handshake still under way when a recording starts is not in it, a close always is.
 *
 * <p>Thread-safe: the transport's event loop reports the opening and the close, and the
 * handshake may end on the thread that confirmed the caller's key. Called once for each step.
 */
public final class ConnectionWatch {
    private final boolean initiator;
    private final NodeCounters node;
    private long connection = -1;
    private PeerAddress remote;
    private long openedAt;
    private boolean completed;
    private HandshakeCompletedEvent completedEvent;
    private HandshakeFailedEvent failedEvent;

    /**
     * Watches a connection that is about to open.
     *
     * @param initiator whether this peer opens it
     * @param node the node's counters, which count failed handshakes
     */
    public ConnectionWatch(boolean initiator, NodeCounters node) {
        this.initiator = initiator;
        this.node = node;
    }

    /**
     * The connection is open and its handshake starts.
     *
     * @param c the connection
     */
    public synchronized void started(Connection c) {
        connection = c.id();
        remote = c.remoteAddress();
        openedAt = System.nanoTime();
        ConnectionOpenedEvent opened = new ConnectionOpenedEvent();
        if (opened.shouldCommit()) {
            describe(opened).commit();
        }
        // Both outcomes begin now, so that the one committed spans the whole handshake.
        HandshakeCompletedEvent done = new HandshakeCompletedEvent();
        if (done.isEnabled()) {
            done.begin();
            completedEvent = done;
        }
        HandshakeFailedEvent failed = new HandshakeFailedEvent();
        if (failed.isEnabled()) {
            failed.begin();
            failedEvent = failed;
        }
    }

    /**
     * The handshake completed: the peer proved a trusted key and was admitted.
     *
     * @param peer the name it goes by
     * @param key its key
     */
    public synchronized void completed(String peer, PeerKey key) {
        completed = true;
        failedEvent = null;
        HandshakeCompletedEvent e = completedEvent;
        completedEvent = null;
        if (e != null) {
            e.end();
            if (e.shouldCommit()) {
                describe(e).peer = peer;
                e.key = key.fingerprint();
                e.commit();
            }
        }
    }

    /**
     * The connection closed; if its handshake had not completed, it failed.
     *
     * @param reason why it closed
     * @param peer the name of the peer, if known (the one called, or the one admitted), or null
     * @param step the step the connection was at, for a handshake that failed
     */
    public synchronized void closed(ConnectionClosedException reason, String peer, String step) {
        if (!completed) {
            node.handshakeFailed();
            HandshakeFailedEvent e = failedEvent;
            failedEvent = null;
            if (e != null) {
                e.end();
                if (e.shouldCommit()) {
                    describe(e).peer = peer;
                    e.reason = reason.reason().name();
                    e.message = failure(reason);
                    e.step = step;
                    e.commit();
                }
            }
        }
        ConnectionClosedEvent closed = new ConnectionClosedEvent();
        if (closed.shouldCommit()) {
            describe(closed).peer = peer;
            closed.reason = reason.reason().name();
            closed.message = reason.getMessage();
            closed.authenticated = completed;
            closed.lifetime = connection < 0 ? 0 : System.nanoTime() - openedAt;
            closed.commit();
        }
    }

    /** The close's message, and its cause's if it has one: a handshake's failure is the cause. */
    private static String failure(ConnectionClosedException reason) {
        Throwable cause = reason.getCause();
        return cause == null || cause.getMessage() == null
                || cause.getMessage().equals(reason.getMessage()) ? reason.getMessage()
                : reason.getMessage() + ": " + cause.getMessage();
    }

    /** Fills in what every connection event says of this connection. */
    private <E extends ConnectionEvent> E describe(E e) {
        e.connection = connection;
        e.remoteAddress = String.valueOf(remote);
        e.initiator = initiator;
        return e;
    }
}
