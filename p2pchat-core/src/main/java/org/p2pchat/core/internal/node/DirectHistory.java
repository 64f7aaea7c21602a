package org.p2pchat.core.internal.node;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.StoreException;
import org.p2pchat.core.internal.delivery.ArrivedTexts;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.delivery.SendJournal;
import org.p2pchat.core.internal.delivery.TrackedText;
import org.p2pchat.core.internal.runtime.EpochNanos;
import org.p2pchat.core.internal.store.NumberedHistory;
import org.p2pchat.core.internal.store.NumberedSeries;
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
 * <p>A store that is a {@link NumberedHistory} (the in-memory one) gets the records as series
 * and numbers, without an id string or a record object each.
 *
 * <p>Times sent of this peer's messages rise, and a frame's messages received get times a
 * nanosecond apart, after every earlier one: so that history keeps their order however coarse
 * the clock or however it steps (at one time, stores order by id, as text, and ".../10" sorts
 * before ".../9").
 *
 * <p>Thread-safe; never waits for the disk (writes only queue). Its links call it with their
 * locks held, so each link's writes reach the store in the order things happened.
 */
final class DirectHistory implements SendJournal {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final MessageStore store;
    /** Whether outbox entries and receive records are worth writing (see isDurable). */
    private final boolean durable;
    /** The store, if it takes records by series and number; null for one that does not. */
    private final NumberedHistory numbered;
    private final PeerKey self;
    private final String selfName;
    private final long epoch;
    /** What the ids of the messages this process sends begin with. */
    private final String sentPrefix;
    private final AtomicLong sent = new AtomicLong();
    /** The latest time sent a record was given, in nanoseconds since the epoch. */
    private final AtomicLong lastSentAt = new AtomicLong(Long.MIN_VALUE);
    private volatile Throwable sendFailure;
    /** The latest receive time a record was given; guarded by this object's lock. */
    private long lastReceivedAt = Long.MIN_VALUE;
    /** Racy on purpose: a stale one is only a miss. */
    private NumberedSeries lastSentSeries;
    private NumberedSeries lastReceivedSeries;

    DirectHistory(MessageStore store, PeerKey self, String selfName, long epoch) {
        this.store = store;
        this.durable = store.isDurable();
        this.numbered = !durable && store instanceof NumberedHistory n ? n : null;
        this.self = self;
        this.selfName = selfName;
        this.epoch = epoch;
        this.sentPrefix = "d:" + self + "/" + Long.toHexString(epoch) + "/s";
    }

    /** The history id of a direct message received: its sender's key, first epoch and number. */
    static String receivedId(PeerKey sender, long firstEpoch, long firstSeq) {
        return receivedIdPrefix(sender, firstEpoch) + firstSeq;
    }

    /**
     * The first of {@code n} receive times a nanosecond apart, from {@code now} but after every
     * earlier one: a clock that is coarse or steps back must not interleave two frames' records.
     */
    private synchronized long receiveTimes(Instant now, int n) {
        long at = EpochNanos.of(now);
        long first = at > lastReceivedAt ? at : lastReceivedAt + 1;
        lastReceivedAt = first + n - 1;
        return first;
    }

    /** A time sent from {@code at} (nanoseconds since the epoch), after every earlier one. */
    private long sentTime(long at) {
        while (true) {
            long last = lastSentAt.get();
            long t = at > last ? at : last + 1;
            if (lastSentAt.compareAndSet(last, t)) {
                return t;
            }
        }
    }

    private static String receivedIdPrefix(PeerKey sender, long epoch) {
        return "d:" + sender + "/" + Long.toHexString(epoch) + "/";
    }

    @Override
    public TrackedText track(byte[] text, String decoded, long queuedAt,
            java.time.Duration timeout) {
        // Sent messages count on their own: a link's numbers can move before they go out.
        return TrackedText.numbered(sentPrefix, sent.incrementAndGet(), epoch, text, queuedAt,
                timeout).withString(decoded);
    }

    @Override
    public void queued(PeerKey peer, String name, TrackedText m) {
        long at = sentTime(m.queuedAt() != 0 ? m.queuedAt() : EpochNanos.now());
        m.recordedAt(at);
        if (numbered != null && m.idPrefix() != null) {
            numbered.sent(sentSeries(peer, name), m.idNumber(), m.string(), at);
            return;
        }
        StoreWrite w = new StoreWrite()
                .history(new HistoryRecord(m.messageId(), sentSeries(peer, name).conversation(),
                        true, selfName, self, m.string(), EpochNanos.instant(at), null,
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

    /**
     * The series of the messages sent to a peer: the last one made, when a sender keeps to one
     * peer.
     */
    private NumberedSeries sentSeries(PeerKey peer, String name) {
        NumberedSeries s = lastSentSeries;
        if (s == null || !s.conversation().id().equals(peer.toString())
                || !s.conversation().name().equals(name)) {
            s = new NumberedSeries(sentPrefix, Conversation.direct(peer, name), true, selfName,
                    self);
            lastSentSeries = s;
        }
        return s;
    }

    /** As {@link #sentSeries(PeerKey, String)} with whichever name: a state change needs none. */
    private NumberedSeries sentSeries(PeerKey peer) {
        NumberedSeries last = lastSentSeries;
        return last != null && last.conversation().id().equals(peer.toString()) ? last
                : new NumberedSeries(sentPrefix, Conversation.direct(peer, ""), true, selfName,
                        self);
    }

    /** The series of the messages a peer's process numbered. */
    private NumberedSeries receivedSeries(PeerKey sender, String name, long senderEpoch) {
        NumberedSeries s = lastReceivedSeries;
        String prefix = receivedIdPrefix(sender, senderEpoch);
        if (s == null || !s.prefix().equals(prefix) || !s.sender().equals(name)) {
            s = new NumberedSeries(prefix, Conversation.direct(sender, name), false, name,
                    sender);
            lastReceivedSeries = s;
        }
        return s;
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
        write(settled(peer, messages, DeliveryState.DELIVERED));
    }

    @Override
    public void failed(PeerKey peer, List<TrackedText> messages) {
        write(settled(peer, messages, DeliveryState.FAILED));
    }

    /** A write, unless there is nothing to write (the numbered records changed in place). */
    private void write(StoreWrite w) {
        if (!w.isEmpty()) {
            store.write(w);
        }
    }

    /** Leaves the outbox, by each epoch's highest number (entries leave from the front). */
    private StoreWrite settled(PeerKey peer, List<TrackedText> messages, DeliveryState state) {
        StoreWrite w = new StoreWrite();
        if (numbered != null && allNumbered(messages)) {
            numbered.states(sentSeries(peer), new SettledTexts(messages), state);
            return acknowledged(peer, messages, w);
        }
        NumberedSeries series = null;
        for (int i = 0; i < messages.size(); i++) {
            TrackedText m = messages.get(i);
            if (numbered != null && m.idPrefix() != null) {
                if (series == null) {
                    series = sentSeries(peer);
                }
                numbered.state(series, m.idNumber(), m.recordedAt(), state);
            } else {
                w.state(m.messageId(), state);
            }
        }
        return acknowledged(peer, messages, w);
    }

    /** For a durable store: the messages leave the outbox, up to each epoch's highest number. */
    private StoreWrite acknowledged(PeerKey peer, List<TrackedText> messages, StoreWrite w) {
        if (durable) {
            Map<Long, Long> upTo = new LinkedHashMap<>(2);
            for (TrackedText m : messages) {
                upTo.merge(m.epoch(), m.seq(), Math::max);
            }
            upTo.forEach((e, s) -> w.acknowledged(peer, e, s));
        }
        return w;
    }

    private static boolean allNumbered(List<TrackedText> messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).idPrefix() == null) {
                return false;
            }
        }
        return true;
    }

    /** Sent messages, all numbered, as the store settles them. */
    private record SettledTexts(List<TrackedText> messages) implements NumberedHistory.Settled {
        @Override
        public int size() {
            return messages.size();
        }

        @Override
        public long number(int i) {
            return messages.get(i).idNumber();
        }

        @Override
        public long sentAt(int i) {
            return messages.get(i).recordedAt();
        }
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
        int n = texts.size();
        long first = receiveTimes(at, n);
        if (numbered != null) {
            return receivedNumbered(sender, name, texts, first) ? DONE
                    : CompletableFuture.failedFuture(new StoreException("the store is closed"));
        }
        StoreWrite w = new StoreWrite();
        Conversation conversation = Conversation.direct(sender, name);
        String prefix = receivedIdPrefix(sender, wireEpoch);
        for (int i = 0; i < n; i++) {
            long firstEpoch = texts.firstEpoch(i);
            String id = firstEpoch == wireEpoch ? prefix + texts.firstSeq(i)
                    : receivedId(sender, firstEpoch, texts.firstSeq(i));
            Instant t = EpochNanos.instant(first + i);
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

    /**
     * The messages received to a {@link NumberedHistory}: a series for each run of them first
     * numbered by one process of the sender (most often all of them, in the process they came
     * from).
     */
    private boolean receivedNumbered(PeerKey sender, String name, ArrivedTexts texts,
            long first) {
        NumberedHistory.Texts byFirstNumber = new NumberedHistory.Texts() {
            @Override
            public long number(int i) {
                return texts.firstSeq(i);
            }

            @Override
            public String text(int i) {
                return texts.text(i);
            }
        };
        int n = texts.size();
        for (int from = 0; from < n;) {
            long firstEpoch = texts.firstEpoch(from);
            int to = from + 1;
            while (to < n && texts.firstEpoch(to) == firstEpoch) {
                to++;
            }
            if (!numbered.received(receivedSeries(sender, name, firstEpoch), byFirstNumber, from,
                    to, first)) {
                return false;
            }
            from = to;
        }
        return true;
    }
}
