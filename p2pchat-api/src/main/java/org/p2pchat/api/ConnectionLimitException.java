package org.p2pchat.api;

/**
 * A new connection would exceed the transport's connection cap ({@code p2pchat.maxConnections}).
 * Close idle conversations or raise the cap.
 */
public class ConnectionLimitException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ConnectionLimitException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ConnectionLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
