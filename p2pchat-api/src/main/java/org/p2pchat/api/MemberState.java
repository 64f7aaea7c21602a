package org.p2pchat.api;

/** How this peer sees a room member, in {@link RoomMember#state()}. */
public enum MemberState {
    /** This peer itself. */
    SELF,
    /** A connection to the member is open. */
    CONNECTED,
    /**
     * No connection is open now (it closed when idle, or is being reopened) but the member has
     * not been unreachable for {@code p2pchat.roomFailureTimeout}: still a member.
     */
    IDLE,
    /**
     * This peer could not reach the member for {@code p2pchat.roomFailureTimeout}: reported
     * through {@link MessageListener#onMemberFailed}. It keeps trying; when the member answers
     * again it is reported as joined again.
     */
    FAILED
}
