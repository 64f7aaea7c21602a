package org.p2pchat.store.sqlite.internal;

import java.nio.charset.StandardCharsets;

/**
 * A message id's sort key, the {@code id_key} column: bytes that compare (as SQLite compares
 * blobs, byte by byte, a prefix first) as {@link String#compareTo} compares the ids, which is the
 * order {@link org.p2pchat.api.HistoryQuery} pages by.
 *
 * <p>Stateless and thread-safe.
 */
final class IdKey {
    private IdKey() {
    }

    /**
     * The key of an id: its UTF-16BE bytes, whose order is that of its chars.
     *
     * @param messageId the id
     * @return its key
     */
    static byte[] of(String messageId) {
        return messageId.getBytes(StandardCharsets.UTF_16BE);
    }
}
