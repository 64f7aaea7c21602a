package org.p2pchat.store.sqlite.internal;

import java.nio.charset.StandardCharsets;

/**
 * A message id as the history stores it, the {@code id_key} column (schema version 4): bytes
 * that compare (as SQLite compares blobs, byte by byte, a prefix first) as {@link
 * String#compareTo} compares the ids, which is the order {@link org.p2pchat.api.HistoryQuery}
 * pages by, and that decode back to the id.
 *
 * <p>Each char takes one byte if it is below 0x80 (so an ASCII id, as every id p2pchat makes
 * is, takes as many bytes as chars: half its UTF-16), three bytes otherwise: 0x80 plus its top
 * four bits, then its next six bits, then its low six. A multi-byte char's first byte is above
 * every one-byte char, and its three bytes compare as its value does, so the bytes compare as
 * the chars do. (UTF-8 would not: it orders supplementary characters, surrogate pairs in
 * UTF-16, above U+E000..U+FFFF, and String.compareTo below.)
 *
 * <p>Stateless and thread-safe.
 */
final class IdKey {
    private IdKey() {
    }

    /**
     * The key of an id.
     *
     * @param messageId the id
     * @return its key
     */
    static byte[] of(String messageId) {
        int n = messageId.length();
        int size = n;
        for (int i = 0; i < n; i++) {
            if (messageId.charAt(i) >= 0x80) {
                size += 2;
            }
        }
        if (size == n) {
            // All ASCII: the JDK's encoder copies it without a loop per char.
            return messageId.getBytes(StandardCharsets.US_ASCII);
        }
        byte[] key = new byte[size];
        int j = 0;
        for (int i = 0; i < n; i++) {
            char c = messageId.charAt(i);
            if (c < 0x80) {
                key[j++] = (byte) c;
            } else {
                key[j++] = (byte) (0x80 | (c >>> 12));
                key[j++] = (byte) ((c >>> 6) & 0x3F);
                key[j++] = (byte) (c & 0x3F);
            }
        }
        return key;
    }

    /**
     * The id of a key.
     *
     * @param key a key {@link #of} made
     * @return its id
     * @throws IllegalArgumentException if the key ends inside a char
     */
    static String id(byte[] key) {
        int multi = 0;
        for (byte b : key) {
            if (b < 0) {
                multi++;
            }
        }
        if (multi == 0) {
            return new String(key, StandardCharsets.US_ASCII);
        }
        char[] chars = new char[key.length - 2 * multi];
        int j = 0;
        for (int i = 0; i < key.length; j++) {
            int b = key[i] & 0xFF;
            if (b < 0x80) {
                chars[j] = (char) b;
                i++;
            } else {
                if (i + 2 >= key.length) {
                    throw new IllegalArgumentException("a message id key ends inside a char");
                }
                chars[j] = (char) (((b & 0x0F) << 12) | ((key[i + 1] & 0x3F) << 6)
                        | (key[i + 2] & 0x3F));
                i += 3;
            }
        }
        return new String(chars, 0, j);
    }
}
