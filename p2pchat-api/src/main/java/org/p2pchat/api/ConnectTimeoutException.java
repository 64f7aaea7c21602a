package org.p2pchat.api;

/**
 * A connection attempt did not complete within the transport's connect timeout
 * ({@code p2pchat.connectTimeout}). The remote host may be down or unreachable.
 */
public class ConnectTimeoutException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ConnectTimeoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ConnectTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
