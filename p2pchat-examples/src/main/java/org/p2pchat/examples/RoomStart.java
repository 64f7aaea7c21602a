package org.p2pchat.examples;

import java.util.Objects;
import org.p2pchat.api.PeerAddress;

/**
 * What the chat does about rooms when it starts, after its greeting: open a room of its own (the
 * seed's first user), join one through a member or with an invite (everyone after), or nothing.
 * Immutable values; any thread.
 */
public sealed interface RoomStart {

    /** Starts in no room: for people who only want direct messages ({@code --no-room}). */
    record None() implements RoomStart {
    }

    /**
     * Creates an {@link org.p2pchat.api.RoomAccess#OPEN open} room and says how others join it.
     *
     * @param room the room's name
     */
    record Open(String room) implements RoomStart {
        /** Validates the component. */
        public Open {
            Objects.requireNonNull(room, "room");
        }
    }

    /**
     * Joins an open room through one of its members ({@code --join HOST:PORT}).
     *
     * @param room the room's name
     * @param member the member's address
     */
    record Join(String room, PeerAddress member) implements RoomStart {
        /** Validates the components. */
        public Join {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * Joins the room an invite names ({@code --join p2pchat://...}).
     *
     * @param invite the invite text
     */
    record JoinInvite(String invite) implements RoomStart {
        /** Validates the component. */
        public JoinInvite {
            Objects.requireNonNull(invite, "invite");
        }
    }
}
