package org.p2pchat.api;

/**
 * A remote side sent something that breaks the p2pchat protocol (a malformed or unexpected
 * frame). The connection it came on is closed; other conversations carry on.
 */
public class ProtocolException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
