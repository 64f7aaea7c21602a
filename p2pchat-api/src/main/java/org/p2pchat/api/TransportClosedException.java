package org.p2pchat.api;

/**
 * The transport (or the peer that owns it) has been closed; nothing more can be sent or opened
 * through it.
 */
public class TransportClosedException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public TransportClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public TransportClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
