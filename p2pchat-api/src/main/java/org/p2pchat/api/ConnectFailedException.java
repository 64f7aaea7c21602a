package org.p2pchat.api;

/**
 * A transport could not open a connection: the address refused it, could not be resolved, or the
 * local connection cap was reached. Retrying later may succeed.
 */
public class ConnectFailedException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ConnectFailedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ConnectFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
