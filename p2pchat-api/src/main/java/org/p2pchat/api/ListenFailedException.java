package org.p2pchat.api;

/**
 * A transport could not listen on the requested address, usually because the port is in use or
 * the host is not a local address.
 */
public class ListenFailedException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ListenFailedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ListenFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
