package org.p2pchat.api;

/**
 * The root of every exception p2pchat throws or completes a future with.
 *
 * <p>Unchecked, like Netty's and the JDK's networking exceptions: a caller catches the subclass
 * it can act on. Instances are immutable and safe to share between threads.
 */
public class P2pChatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what happened and, where it helps, what to do.
     *
     * @param message the detail message
     */
    public P2pChatException(String message) {
        super(message);
    }

    /**
     * Creates an exception caused by another.
     *
     * @param message the detail message
     * @param cause the underlying failure
     */
    public P2pChatException(String message, Throwable cause) {
        super(message, cause);
    }
}
