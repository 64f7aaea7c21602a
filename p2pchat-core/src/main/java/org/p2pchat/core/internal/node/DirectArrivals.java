package org.p2pchat.core.internal.node;

import java.time.Instant;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Inflow;
import org.p2pchat.core.internal.runtime.SerialExecutor;
import org.p2pchat.core.internal.runtime.ThrottledLog;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.StoreWrite;

/**
 * What a node does with each direct text message that arrives: the store records it first, then
 * the link's inflow may acknowledge it and the listener gets it on its executor; its bytes count
 * against the friend's window until the listener returns. A store that fails to write is logged
 * and the message delivered all the same (it is then not safe from a crash).
 *
 * <p>Called on the event loop; the rest runs where the store completes its write (at once for
 * the in-memory store, on its writer thread for a durable one), in the order of the writes.
 */
final class DirectArrivals {
    private final String node;
    private final DirectHistory history;
    private final MessageStore store;
    private final SerialExecutor callbacks;
    private final MessageListener listener;
    private final ThrottledLog storeWarnings;

    DirectArrivals(String node, DirectHistory history, MessageStore store,
            SerialExecutor callbacks, MessageListener listener, ThrottledLog storeWarnings) {
        this.node = node;
        this.history = history;
        this.store = store;
        this.callbacks = callbacks;
        this.listener = listener;
        this.storeWarnings = storeWarnings;
    }

    /** A new text message, as {@link Inflow.Delivery#deliver} hands it on. */
    void text(FriendLink link, String text, long firstEpoch, long firstSeq, long seq,
            long units) {
        Instant at = Instant.now();
        ChatMessage message = new ChatMessage(link.friend(), text, at);
        Inflow inflow = link.inflow();
        PeerKey key = link.key();
        long wireEpoch = inflow.currentEpoch();
        history.received(key, link.friend(), text, at, firstEpoch, firstSeq, wireEpoch, seq)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        storeWarnings.warn("{}: could not record a message from {}: {}", node,
                                link.friend(), e.getMessage());
                    }
                    inflow.recorded(wireEpoch, seq);
                    callbacks.execute(key, () -> {
                        try {
                            listener.onMessage(message);
                        } finally {
                            inflow.consumed(units);
                        }
                    });
                });
    }

    /** A copy of a message delivered before, as {@link Inflow.Delivery#alreadyDelivered} says. */
    void copy(FriendLink link, long seq) {
        Inflow inflow = link.inflow();
        long wireEpoch = inflow.currentEpoch();
        // Writes complete in order: once an empty one is, so is every record before it.
        store.write(new StoreWrite()).whenComplete((v, e) -> inflow.recorded(wireEpoch, seq));
    }
}
