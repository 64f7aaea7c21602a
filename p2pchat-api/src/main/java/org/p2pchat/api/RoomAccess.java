package org.p2pchat.api;

/**
 * Who may join a {@link Room}.
 *
 * <p>The library's default is {@link #INVITE_ONLY}: a room is closed to everyone who has not been
 * given its invite. {@link #OPEN} is the seed chat's behaviour, for rooms meant to be public.
 */
public enum RoomAccess {
    /**
     * Anyone who reaches a member's port may join, and then reads every message published after
     * it joined and may publish. Messages are still signed by their origin and sealed on every
     * link, so no one outside the room reads or alters them in transit, but the room itself
     * keeps no secret from a stranger who asks to join.
     */
    OPEN,
    /**
     * A member admits a newcomer only if it proves it holds the room's secret, which travels in
     * the invite ({@link Room#invite()}). Without it, no one can join, read or inject the room's
     * messages: members send room messages only to members, and accept them only from members.
     */
    INVITE_ONLY
}
