package org.p2pchat.api;

import java.util.List;

/**
 * A room message was not acknowledged by every member within the delivery timeout. It may still
 * reach the members named here through other members, which forward it.
 */
public class RoomDeliveryException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    private final transient List<RoomMember> missing;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param missing the members that did not acknowledge the message
     */
    public RoomDeliveryException(String message, List<RoomMember> missing) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    /**
     * Returns the members that did not acknowledge the message.
     *
     * @return an immutable list
     */
    public List<RoomMember> missing() {
        return missing;
    }
}
