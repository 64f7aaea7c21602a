package org.p2pchat.core.internal.files;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A transfer's id: 16 random bytes the sender draws, the same on both sides, so that no one
 * without the sealed connection's keys can name another's transfer. Immutable.
 */
final class TransferId {
    static final int BYTES = 16;

    private final byte[] bytes;
    private final int hash;

    private TransferId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    static TransferId random(SecureRandom random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return new TransferId(b);
    }

    static TransferId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a transfer id has " + BYTES + " bytes");
        }
        return new TransferId(bytes.clone());
    }

    byte[] bytes() {
        return bytes.clone();
    }

    void writeTo(java.nio.ByteBuffer out) {
        out.put(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferId t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Unpadded base64url, 22 characters, as the API shows it. */
    @Override
    public String toString() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
