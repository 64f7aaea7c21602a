package org.p2pchat.api;

/**
 * A connection's write queue already holds its byte limit ({@code p2pchat.writeQueueLimitBytes}):
 * the remote side is reading slower than this side is sending. The frame was not queued; retry
 * after earlier sends complete, or slow down.
 */
public class WriteQueueFullException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public WriteQueueFullException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public WriteQueueFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
