package org.p2pchat.api;

/**
 * The messages to one friend that are waiting for its acknowledgement already fill the outbox
 * limit ({@code p2pchat.outboxLimitBytes}): the friend is offline or reads slower than this peer
 * sends. The message was refused at once and not queued; send it again once earlier sends have
 * completed.
 */
public class OutboxFullException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public OutboxFullException(String message) {
        super(message);
    }
}
