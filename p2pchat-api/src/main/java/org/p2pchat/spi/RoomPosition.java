package org.p2pchat.spi;

import java.util.Objects;
import org.p2pchat.api.PeerKey;

/**
 * Where this peer stands in one origin's numbering in one room: the origin's incarnation and the
 * next number not yet delivered, so that a restarted member neither delivers a room message
 * twice nor waits for one it already had. An immutable value.
 *
 * @param roomId the room's id
 * @param origin the origin's key
 * @param incarnation the origin's incarnation in the room
 * @param next the next number not yet delivered
 */
public record RoomPosition(String roomId, PeerKey origin, long incarnation, long next) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if the room or origin is null
     */
    public RoomPosition {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(origin, "origin");
    }
}
