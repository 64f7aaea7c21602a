package org.p2pchat.api;

import java.util.Objects;

/**
 * A conversation a {@link org.p2pchat.spi.MessageStore} keeps history of: the direct messages with one peer
 * (identified by its key, whatever its name) or one room (identified by its id, whatever its
 * name). An immutable value.
 *
 * @param kind which of the two
 * @param id the peer's key ({@link PeerKey#toString()}) or the room's id
 * @param name the peer's or room's name when the record was written, for display
 */
public record Conversation(Kind kind, String id, String name) {

    /** What a conversation is with. */
    public enum Kind {
        /** Direct messages with one peer. */
        DIRECT,
        /** The messages of one room. */
        ROOM
    }

    /**
     * Validates the components.
     *
     * @throws NullPointerException if any is null
     */
    public Conversation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /**
     * The direct conversation with a peer.
     *
     * @param peer its key
     * @param name its name
     * @return the conversation
     */
    public static Conversation direct(PeerKey peer, String name) {
        return new Conversation(Kind.DIRECT, peer.toString(), name);
    }

    /**
     * A room's conversation.
     *
     * @param roomId the room's id
     * @param roomName its name
     * @return the conversation
     */
    public static Conversation room(String roomId, String roomName) {
        return new Conversation(Kind.ROOM, roomId, roomName);
    }

    /** Two conversations are the same when their kind and id are, whatever the names. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Conversation c && kind == c.kind && id.equals(c.id);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + id.hashCode();
    }
}
