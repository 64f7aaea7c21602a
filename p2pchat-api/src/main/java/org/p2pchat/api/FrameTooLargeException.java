package org.p2pchat.api;

/**
 * A frame is larger than the transport's maximum frame size ({@code p2pchat.maxFrameBytes}). When
 * it is raised for an outgoing frame nothing was sent; when a remote side announces such a frame,
 * that connection is closed before anything is allocated for it.
 */
public class FrameTooLargeException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public FrameTooLargeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public FrameTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
