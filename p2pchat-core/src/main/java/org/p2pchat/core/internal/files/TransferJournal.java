package org.p2pchat.core.internal.files;

import java.nio.file.Path;
import java.util.List;
import org.p2pchat.api.PeerKey;

/**
 * Where a peer remembers the files it is sending until each transfer ends, so that after a
 * restart it offers them again by itself (the receiver resumes from its partial file). Called on
 * the file thread only.
 */
interface TransferJournal {
    /** A transfer as remembered: enough to offer the same file again under the same id. */
    record Saved(TransferId id, PeerKey key, String label, Path path, String name, long size,
            byte[] sha256) {
    }

    /** Remembers a transfer that has been offered. */
    void saved(OutgoingTransfer transfer);

    /** Forgets a transfer that ended. */
    void forgotten(TransferId id);

    /** The transfers remembered, oldest first. */
    List<Saved> load();

    /** A journal that remembers nothing: a peer without a durable store. */
    static TransferJournal none() {
        return new TransferJournal() {
            @Override
            public void saved(OutgoingTransfer transfer) {
            }

            @Override
            public void forgotten(TransferId id) {
            }

            @Override
            public List<Saved> load() {
                return List.of();
            }
        };
    }
}
