package org.p2pchat.api;

import java.util.Objects;

/**
 * One row of the user_info table: a friend's name, the address their peer listens on and,
 * optionally, their public key. An immutable value.
 *
 * <p>A key given here is <em>pinned</em>: a peer answering to this name with another key is
 * refused. Without one, the first key seen is trusted and remembered.
 *
 * @param name the friend's name: 1 to 64 characters, no white space, control characters or
 *     {@code /} (it is the part before the {@code /} in {@code friend/message})
 * @param address where the friend's peer listens
 * @param key the friend's pinned public key, or null if not pinned
 */
public record PeerEntry(String name, PeerAddress address, PeerKey key) {

    /** The longest name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the name is not a valid peer name
     */
    public PeerEntry {
        validateName(name);
        Objects.requireNonNull(address, "address");
    }

    /**
     * Checks that a text can be a peer name.
     *
     * @param name the candidate
     * @return the name, unchanged
     * @throws IllegalArgumentException saying what a name may contain
     */
    public static String validateName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("expected a name of 1 to " + MAX_NAME_LENGTH
                    + " characters, got '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/' || c == '#') {
                throw new IllegalArgumentException("expected a name without white space, control"
                        + " characters, '/' or '#', got '" + name + "'");
            }
        }
        return name;
    }

    /**
     * Creates an entry without a pinned key.
     *
     * @param name the friend's name
     * @param address where the friend's peer listens
     */
    public PeerEntry(String name, PeerAddress address) {
        this(name, address, null);
    }

    /** Returns the user_info line of this entry. */
    @Override
    public String toString() {
        return name + " " + address + (key == null ? "" : " " + key);
    }
}
