package org.p2pchat.core.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a file's first bytes, read through a channel. Stateless and thread-safe. */
final class Sha256 {
    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Feeds a file's first {@code length} bytes to a digest.
     *
     * @throws IOException if it cannot be read, or ends before {@code length}
     */
    static void update(MessageDigest digest, FileChannel file, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = file.read(buffer, position);
            if (n < 0) {
                throw new IOException("the file ends at " + position + " bytes, before "
                        + length);
            }
            digest.update(buffer.flip());
            position += n;
        }
    }

    static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest);
    }
}
