package org.p2pchat.api;

import java.util.Objects;

/**
 * A connection closed: the reason says why. Transports report it to
 * {@code ConnectionHandler.onClosed} and fail every send still queued on that connection with
 * it. Nothing was lost silently: every queued frame's future fails with this exception.
 */
public class ConnectionClosedException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /** Why a connection closed. */
    public enum Reason {
        /** This side called {@code close()} on the connection. */
        LOCAL_CLOSE,
        /** The remote side closed the connection (end of stream). */
        REMOTE_CLOSE,
        /** Nothing was read or written for the idle timeout ({@code p2pchat.idleTimeout}). */
        IDLE_TIMEOUT,
        /** The remote side announced a frame larger than {@code p2pchat.maxFrameBytes}. */
        FRAME_TOO_LARGE,
        /** Accepting the connection would have exceeded {@code p2pchat.maxConnections}. */
        CONNECTION_LIMIT,
        /** The transport that owned the connection was closed. */
        TRANSPORT_CLOSED,
        /** The layer above found a protocol violation in what the remote side sent. */
        PROTOCOL_ERROR,
        /** The operating system reported an I/O error (for example a reset). */
        IO_ERROR,
        /**
         * Messages awaited an acknowledgement and nothing arrived from the remote side for three
         * heartbeat intervals ({@code p2pchat.heartbeatInterval}).
         */
        HEARTBEAT_TIMEOUT,
        /**
         * A message written to the connection went unacknowledged for the write deadline
         * ({@code p2pchat.writeDeadline}): the remote side stopped reading.
         */
        WRITE_TIMEOUT
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the connection closed
     * @param message a description naming the connection
     */
    public ConnectionClosedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason why the connection closed
     * @param message a description naming the connection
     * @param cause the underlying failure
     */
    public ConnectionClosedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Returns why the connection closed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
