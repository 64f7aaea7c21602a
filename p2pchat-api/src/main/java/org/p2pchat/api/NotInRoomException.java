package org.p2pchat.api;

/**
 * This peer is not a member of the room named: it left it, or never joined it. Join it again with
 * {@link Peer#joinRoom}.
 */
public class NotInRoomException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public NotInRoomException(String message) {
        super(message);
    }
}
