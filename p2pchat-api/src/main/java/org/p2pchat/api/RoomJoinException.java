package org.p2pchat.api;

/**
 * A join was refused by the member asked, or could not reach it. {@link #reason()} says which and
 * the message says what to do.
 */
public class RoomJoinException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /** Why a join failed. */
    public enum Reason {
        /** Another member of the room holds the name this peer asked to be known by. */
        NAME_TAKEN,
        /** The member asked has no room of that name. */
        NO_SUCH_ROOM,
        /** The room is invite-only and no invite, or a wrong one, was given. */
        INVITE_REQUIRED,
        /** The room has as many members as it holds. */
        ROOM_FULL,
        /** This peer is a member of a room of that name already. */
        ALREADY_MEMBER,
        /** The member could not be reached, or did not answer within the delivery timeout. */
        UNREACHABLE,
        /** The member answered with something this peer could not accept. */
        PROTOCOL
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why
     * @param message what happened and what to do
     */
    public RoomJoinException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason why
     * @param message what happened and what to do
     * @param cause the underlying failure
     */
    public RoomJoinException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the join failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
