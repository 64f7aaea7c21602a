package org.p2pchat.api;

/**
 * No transport could be chosen: none is on the class or module path, or the one named by
 * {@code p2pchat.transport} is not there. The message names the artifact to add.
 */
public class TransportNotFoundException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public TransportNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public TransportNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
