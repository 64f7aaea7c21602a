package org.p2pchat.api;

import java.util.Objects;

/**
 * One row of the user_info table: a friend's name, the address their peer listens on and,
 * optionally, their public key. An immutable value.
 *
 * <p>A key given here is <em>pinned</em>: a peer answering to this name with another key is
 * refused. Without one, the first key seen is trusted and remembered.
 *
 * @param name the friend's name: 1 to 64 letters (with their marks) or digits of one script,
 *     {@code -}, {@code _} or {@code .}, in Unicode normalization form KC, so that a look-alike
 *     cannot pass for it (it is the part before the {@code /} in {@code friend/message}); see
 *     {@link #validateName}
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
     * Checks that a text can be a peer name: 1 to {@value #MAX_NAME_LENGTH} characters in Unicode
     * normalization form KC, letters (with at most three combining marks each) and digits plus
     * {@code -}, {@code _} and {@code .}, none invisible, the letters and digits from one script
     * or from scripts written together (Latin with Han, Hiragana and Katakana, or with Han and
     * Hangul, or with Han and Bopomofo). So no white space, {@code /}, {@code #}, symbols,
     * invisible, fullwidth or direction-changing characters, and no {@code аlice} with a
     * Cyrillic {@code а} passing for {@code alice}.
     *
     * @param name the candidate
     * @return the name, unchanged
     * @throws IllegalArgumentException saying what a name may contain
     */
    public static String validateName(String name) {
        Objects.requireNonNull(name, "name");
        String problem = NameRule.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
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
