package org.p2pchat.api;

/**
 * The {@link Peer} has been closed: {@link Peer#send} after {@link Peer#close()}, or a message that
 * was still pending when the peer closed.
 */
public class PeerClosedException extends TransportClosedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public PeerClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public PeerClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
