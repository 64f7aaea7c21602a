package org.p2pchat.api;

/**
 * A message could not reach its peer: no connection could be opened to the peer's address, or the
 * connection was lost before the message was written. The cause tells which.
 */
public class PeerUnreachableException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public PeerUnreachableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public PeerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
