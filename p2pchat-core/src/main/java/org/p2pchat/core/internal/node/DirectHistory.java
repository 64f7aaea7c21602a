package org.p2pchat.core.internal.node;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.ArrivedTexts;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.delivery.SendJournal;
import org.p2pchat.core.internal.delivery.TrackedText;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.StoreWrite;

/**
 * Writes the direct messages to the store: each one sent as a pending history record with its
 * outbox entry (one write, so that they cannot disagree after a crash), then delivered or failed
 * as the friend acknowledges or the link gives up; each one received as a history record with
 * the receive record that covers it (one write, before the listener gets it and before an
 * acknowledgement covers it).
 *
 * <p>Thread-safe; never waits for the disk (writes only queue). Its links call it with their
 * locks held, so each link's writes reach the store in the order things happened.
 */
final class DirectHistory implements SendJournal {
    private final MessageStore store;
    /** Whether outbox entries and receive records are worth writing (see isDurable). */
    private final boolean durable;
    private final PeerKey self;
    private final String selfName;
    private final long epoch;
    private final String idPrefix;
    private final AtomicLong sent = new AtomicLong();
    private volatile Throwable sendFailure;
    /** The latest receive time a record was given; guarded by this object's lock. */
    private Instant lastReceivedAt;
    /** Racy on purpose: a stale one is only a miss. */
    private Conversation lastConversation;

    DirectHistory(MessageStore store, PeerKey self, String selfName, long epoch) {
        this.store = store;
        this.durable = store.isDurable();
        this.self = self;
        this.selfName = selfName;
        this.epoch = epoch;
        this.idPrefix = "d:" + self + "/" + Long.toHexString(epoch) + "/";
    }

    /** The history id of a direct message received: its sender's key, first epoch and number. */
    static String receivedId(PeerKey sender, long firstEpoch, long firstSeq) {
        return receivedIdPrefix(sender, firstEpoch) + firstSeq;
    }

    /**
     * The first of {@code n} receive times a nanosecond apart, from {@code now} but after every
     * earlier one: a clock that is coarse or steps back must not interleave two frames' records.
     */
    private synchronized Instant receiveTimes(Instant now, int n) {
        Instant first = lastReceivedAt == null || now.isAfter(lastReceivedAt) ? now
                : lastReceivedAt.plusNanos(1);
        lastReceivedAt = first.plusNanos(n - 1);
        return first;
    }

    private static String receivedIdPrefix(PeerKey sender, long epoch) {
        return "d:" + sender + "/" + Long.toHexString(epoch) + "/";
    }

    @Override
    public TrackedText track(byte[] text, String decoded, Instant deadline) {
        // Sent messages count on their own: a link's numbers can move before they go out.
        return new TrackedText(idPrefix + "s" + sent.incrementAndGet(), epoch, 0, text, deadline,
                false).withString(decoded);
    }

    @Override
    public void queued(PeerKey peer, String name, TrackedText m) {
        StoreWrite w = new StoreWrite()
                .history(new HistoryRecord(m.messageId(), conversation(peer, name), true,
                        selfName, self, m.string(),
                        m.queuedAt() != null ? m.queuedAt() : Instant.now(), null,
                        DeliveryState.PENDING));
        if (durable) {
            w.outbox(outboxRecord(peer, m));
            store.write(w).whenComplete((v, e) -> {
                if (e != null && sendFailure == null) {
                    sendFailure = e;
                }
            });
        } else {
            store.write(w);
        }
    }

    /** The conversation with a peer: the last one made, when a sender keeps to one peer. */
    private Conversation conversation(PeerKey peer, String name) {
        Conversation c = lastConversation;
        if (c == null || !c.id().equals(peer.toString()) || !c.name().equals(name)) {
            c = Conversation.direct(peer, name);
            lastConversation = c;
        }
        return c;
    }

    /**
     * The first write of a message sent that failed (a full disk, an I/O error), or null: a
     * {@code flush()} after it must not say every message is durable.
     */
    Throwable sendFailure() {
        return sendFailure;
    }

    private static OutboxRecord outboxRecord(PeerKey peer, TrackedText m) {
        return new OutboxRecord(peer, m.epoch(), m.seq(), MessageFrames.KIND_TEXT, m.text(),
                m.deadline(), m.messageId());
    }

    @Override
    public void delivered(PeerKey peer, List<TrackedText> messages) {
        store.write(settled(peer, messages, DeliveryState.DELIVERED));
    }

    @Override
    public void failed(PeerKey peer, List<TrackedText> messages) {
        store.write(settled(peer, messages, DeliveryState.FAILED));
    }

    /** Leaves the outbox, by each epoch's highest number (entries leave from the front). */
    private StoreWrite settled(PeerKey peer, List<TrackedText> messages, DeliveryState state) {
        StoreWrite w = new StoreWrite();
        for (TrackedText m : messages) {
            w.state(m.messageId(), state);
        }
        if (durable) {
            Map<Long, Long> upTo = new LinkedHashMap<>(2);
            for (TrackedText m : messages) {
                upTo.merge(m.epoch(), m.seq(), Math::max);
            }
            upTo.forEach((e, s) -> w.acknowledged(peer, e, s));
        }
        return w;
    }

    @Override
    public void renumbered(PeerKey peer, long oldLast, List<TrackedText> messages) {
        if (!durable) {
            return;
        }
        // Removed first, then added: a write applies acknowledgements before outbox entries.
        StoreWrite w = new StoreWrite().acknowledged(peer, epoch, oldLast);
        for (TrackedText m : messages) {
            w.outbox(outboxRecord(peer, m));
        }
        store.write(w);
    }

    /**
     * Records direct messages received, with what they cover of their sender's numbering: the
     * numbering they came in, and the first one of any sent again by a later process.
     *
     * @param texts the messages, in order
     * @param wireEpoch the epoch of the sender's process they came from
     * @return completes when the store has them
     */
    CompletionStage<Void> received(PeerKey sender, String name, ArrivedTexts texts, Instant at,
            long wireEpoch) {
        StoreWrite w = new StoreWrite();
        Conversation conversation = Conversation.direct(sender, name);
        String prefix = receivedIdPrefix(sender, wireEpoch);
        int n = texts.size();
        Instant first = receiveTimes(at, n);
        for (int i = 0; i < n; i++) {
            long firstEpoch = texts.firstEpoch(i);
            String id = firstEpoch == wireEpoch ? prefix + texts.firstSeq(i)
                    : receivedId(sender, firstEpoch, texts.firstSeq(i));
            // A nanosecond apart, so that history keeps their order: at one time, stores order
            // by id, as text, and ".../10" sorts before ".../9".
            Instant t = i == 0 ? first : first.plusNanos(i);
            w.history(new HistoryRecord(id, conversation, false, name, sender, texts.text(i),
                    t, t, DeliveryState.RECEIVED));
        }
        if (durable) {
            // A record replaces the one of its peer and epoch: the last of each is what counts.
            w.received(new ReceiveRecord(sender, wireEpoch, texts.seq(n - 1)));
            for (int i = 0; i < n; i++) {
                long firstEpoch = texts.firstEpoch(i);
                if (firstEpoch != wireEpoch
                        && (i == n - 1 || texts.firstEpoch(i + 1) != firstEpoch)) {
                    w.received(new ReceiveRecord(sender, firstEpoch, texts.firstSeq(i)));
                }
            }
        }
        return store.write(w);
    }
}
