package org.p2pchat.core.internal.node;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.ArrivedTexts;
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
 * <p>The messages of a frame go together: one store write, and one task on the listener's
 * executor that takes one turn per message among the other senders' tasks.
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

    /**
     * New text messages, as {@link Inflow.Delivery#deliver} hands them on: one store write and
     * one listener task for all of them.
     */
    void texts(FriendLink link, ArrivedTexts texts) {
        Instant at = Instant.now();
        String friend = link.friend();
        int n = texts.size();
        ChatMessage[] messages = new ChatMessage[n];
        long[] units = new long[n];
        for (int i = 0; i < n; i++) {
            messages[i] = new ChatMessage(friend, texts.text(i), at);
            units[i] = texts.units(i);
        }
        Inflow inflow = link.inflow();
        PeerKey key = link.key();
        long wireEpoch = inflow.currentEpoch();
        long lastSeq = texts.seq(n - 1);
        CompletionStage<Void> written;
        try {
            written = history.received(key, friend, texts, at, wireEpoch);
        } catch (RuntimeException e) {
            // A store that throws instead of failing its stage: as a failed write, delivered.
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((v, e) -> {
            if (e != null) {
                storeWarnings.warn("{}: could not record {} message(s) from {}: {}", node, n,
                        friend, e.getMessage());
            }
            inflow.recorded(wireEpoch, lastSeq);
            callbacks.execute(key, new Handing(messages, units, inflow));
        });
    }

    /**
     * On the listener's thread: the messages of a frame, one per turn of the sender's lane, so
     * that a sender's backlog still takes turns with the others message by message.
     */
    private final class Handing implements SerialExecutor.Steps {
        private final ChatMessage[] messages;
        private final long[] units;
        private final Inflow inflow;
        private int next;

        Handing(ChatMessage[] messages, long[] units, Inflow inflow) {
            this.messages = messages;
            this.units = units;
            this.inflow = inflow;
        }

        @Override
        public void step() {
            int i = next++;
            ChatMessage message = messages[i];
            // Its cost goes back to the budget below: the task must not hold it any longer.
            messages[i] = null;
            try {
                listener.onMessage(message);
            } finally {
                // Even if it threw: the executor logs that, and the next message still comes.
                inflow.consumed(units[i]);
            }
        }

        @Override
        public boolean last() {
            return next == messages.length - 1;
        }
    }

    /** A copy of a message delivered before, as {@link Inflow.Delivery#alreadyDelivered} says. */
    void copy(FriendLink link, long seq) {
        Inflow inflow = link.inflow();
        long wireEpoch = inflow.currentEpoch();
        // Writes complete in order: once an empty one is, so is every record before it.
        store.write(new StoreWrite()).whenComplete((v, e) -> inflow.recorded(wireEpoch, seq));
    }
}
