package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message published in a room, handed to {@link MessageListener#onRoomMessage} once on each
 * member, in its origin's order. An immutable value.
 *
 * @param room the room's name
 * @param from the origin's name in the room
 * @param fromKey the origin's key: its identity, proven by the message's signature
 * @param text the text
 * @param sentAt when the origin published it, by the origin's clock (signed with the text)
 * @param receivedAt when this peer received it, by this peer's clock
 * @param id the message's identity in the room
 */
public record RoomMessage(String room, String from, PeerKey fromKey, String text, Instant sentAt,
        Instant receivedAt, RoomMessageId id) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if any component is null
     */
    public RoomMessage {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromKey, "fromKey");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(id, "id");
    }
}
