package org.p2pchat.api;

import java.util.Objects;

/**
 * One member of a {@link Room}, as this peer sees it. An immutable value.
 *
 * <p>The key is the member's identity; the name is its label in this room, unique in it (two
 * members never hold the same name in one room), and independent of the user_info table: a
 * member named {@code carol} here and a friend named {@code carol} there are two peers unless
 * their keys are equal. The name and address come from the member's own signed record, so no
 * other member can change them.
 *
 * @param name the member's name in the room
 * @param key the member's public key
 * @param address where the member listens, as its signed record says
 * @param state how this peer sees it now
 */
public record RoomMember(String name, PeerKey key, PeerAddress address, MemberState state) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if any component is null
     */
    public RoomMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }
}
