package org.p2pchat.core.internal.files;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.PeerKey;

/**
 * An offer the listener has been handed and not decided on yet. Its first decision wins; the
 * work it starts runs on the file thread. Thread-safe.
 */
final class PendingOffer implements FileOffer {
    private final FileTransfers hub;
    final PeerKey key;
    final String label;
    final FileFrames.Offer offer;
    private final AtomicBoolean decided = new AtomicBoolean();

    PendingOffer(FileTransfers hub, PeerKey key, String label, FileFrames.Offer offer) {
        this.hub = hub;
        this.key = key;
        this.label = label;
        this.offer = offer;
    }

    /** The sender withdrew it, or the peer closes: a later decision is refused. */
    boolean withdraw() {
        return decided.compareAndSet(false, true);
    }

    @Override
    public String id() {
        return offer.id().toString();
    }

    @Override
    public String from() {
        return label;
    }

    @Override
    public PeerKey fromKey() {
        return key;
    }

    @Override
    public String fileName() {
        return offer.name();
    }

    @Override
    public long size() {
        return offer.size();
    }

    @Override
    public byte[] sha256() {
        return offer.sha256().clone();
    }

    @Override
    public FileTransfer accept(Path directory) {
        java.util.Objects.requireNonNull(directory, "directory");
        if (!decided.compareAndSet(false, true)) {
            throw new IllegalStateException("the offer of " + offer.name() + " from " + label
                    + " was accepted, refused or withdrawn already");
        }
        return hub.accept(this, directory);
    }

    @Override
    public void refuse() {
        if (decided.compareAndSet(false, true)) {
            hub.refuse(this);
        }
    }

    @Override
    public String toString() {
        return "offer of " + offer.name() + " (" + offer.size() + " bytes) from " + label;
    }
}
