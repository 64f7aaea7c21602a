package org.p2pchat.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A peer's long-term public key (X25519, 32 bytes): its identity. Names are labels; the key is
 * who a peer is. An immutable value, safe to share between threads.
 *
 * <p>The text form is unpadded base64url, 43 characters, as written in a user_info table. The
 * {@link #fingerprint()} is short enough for people to compare aloud.
 */
public final class PeerKey {
    /** Length of a key in bytes. */
    public static final int BYTES = 32;

    private final byte[] bytes;
    /** Computed once: keys are map keys on every message's path (links, listener lanes). */
    private final int hash;
    /** Made on first use: history ids and conversations name every message's peer by it. */
    private volatile String text;

    private PeerKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Wraps raw key bytes (copied).
     *
     * @param raw 32 bytes
     * @return the key
     * @throws IllegalArgumentException if the length is wrong
     */
    public static PeerKey of(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("expected a key of 32 bytes, got " + raw.length);
        }
        return new PeerKey(raw.clone());
    }

    /**
     * Parses the text form (unpadded base64url; padded or standard base64 is accepted too).
     *
     * @param text the key text
     * @return the key
     * @throws IllegalArgumentException saying what was expected
     */
    public static PeerKey parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip().replace('+', '-').replace('/', '_');
        while (s.endsWith("=")) {
            s = s.substring(0, s.length() - 1);
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected a base64 public key of 32 bytes, got '"
                    + text + "'", e);
        }
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("expected a base64 public key of 32 bytes, got "
                    + raw.length + " bytes in '" + text + "'");
        }
        return new PeerKey(raw);
    }

    /**
     * Returns the raw bytes.
     *
     * @return a copy of the 32 bytes
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Returns a short fingerprint: the first 8 bytes of SHA-256 of the key, in hex groups of
     * four ({@code 3f2a-91c0-55de-0b7e}). Two keys with the same fingerprint are, for people, the
     * same key.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String hex = HexFormat.of().formatHex(digest, 0, 8);
            return hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12)
                    + "-" + hex.substring(12, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PeerKey k && hash == k.hash
                && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Returns the text form, unpadded base64url. */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            text = t;
        }
        return t;
    }
}
