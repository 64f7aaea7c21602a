package org.p2pchat.core.internal.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.delivery.TrackedText;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again, when a node starts, the direct messages an earlier process of this peer left in
 * the store's outbox (it crashed, or closed before they were acknowledged): each one to the link
 * of its peer's key, with the numbering it was first sent with, until its delivery timeout,
 * which counts from when it was first sent. Those past it are recorded failed.
 *
 * <p>Runs once, on the thread that starts the node, before the application can send.
 */
final class OutboxRestore {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRestore.class);

    private OutboxRestore() {
    }

    /**
     * Queues what the outbox holds.
     *
     * @param node the node's name, for logs
     * @param store the store
     * @param links the node's links
     * @return how many messages were queued again
     */
    static int run(String node, MessageStore store, LinkTable links) {
        Instant now = Instant.now();
        int queued = 0;
        List<OutboxRecord> expired = new ArrayList<>();
        for (OutboxRecord r : store.outbox()) {
            if (r.kind() != MessageFrames.KIND_TEXT) {
                // Only text is recorded; anything else is from a later version: leave it be.
                continue;
            }
            if (!r.deadline().isAfter(now)) {
                expired.add(r);
                continue;
            }
            String id = r.messageId() == null ? "" : r.messageId();
            links.restore(r.peer(), new TrackedText(id, r.epoch(), r.seq(), r.body(),
                    r.deadline(), true));
            queued++;
        }
        if (!expired.isEmpty()) {
            StoreWrite w = new StoreWrite();
            for (OutboxRecord r : expired) {
                w.acknowledged(r.peer(), r.epoch(), r.seq());
                if (r.messageId() != null) {
                    w.state(r.messageId(), DeliveryState.FAILED);
                }
            }
            store.write(w);
            LOG.warn("{}: {} messages from the last run passed their delivery timeout before this"
                    + " one started; they are marked failed in the history", node, expired.size());
        }
        if (queued > 0) {
            LOG.info("{}: sending again {} messages from the last run not yet acknowledged",
                    node, queued);
        }
        return queued;
    }

    /** A readable name for a peer known only by its key. */
    static String labelFor(PeerKey key) {
        return "peer-" + key.fingerprint().replace("-", "").substring(0, 8);
    }
}
