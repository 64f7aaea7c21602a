package org.p2pchat.api;

/**
 * A message does not fit in one frame once encoded: shorten it or raise {@code p2pchat.maxFrameBytes}
 * on both peers. Nothing was sent.
 */
public class MessageTooLargeException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public MessageTooLargeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public MessageTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
