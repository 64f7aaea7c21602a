package org.p2pchat.core.internal.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.RoomPosition;
import org.p2pchat.api.StoreException;
import org.p2pchat.spi.StoreWrite;

/**
 * A {@link MessageStore} in memory: everything lasts as long as the process. Bounded: each
 * conversation keeps its newest {@code maxRecordsPerConversation} history records, at most
 * {@code maxConversations} conversations are kept (the one written to longest ago goes first; a
 * record added, replaced or changing state is a write to its conversation),
 * and all records together take at most {@code maxHistoryBytes} of heap as {@link #cost} counts
 * it (the oldest record of the conversation written to longest ago goes first), so that what
 * strangers send cannot fill the heap however many conversations they open;
 * the outbox is bounded by the delivery layer's own limits, and the receive records by the
 * delivery layer forgetting ({@link StoreWrite#forgetReceived}) the epochs it no longer needs.
 *
 * <p>Thread-safe: one lock; a write is applied, all of it, before {@link #write} returns, and its
 * stage is then complete.
 */
public final class MemoryStore implements MessageStore {
    /** The default bound on history records per conversation. */
    public static final int DEFAULT_RECORDS_PER_CONVERSATION = 10_000;
    /** The default bound on conversations with history. */
    public static final int DEFAULT_CONVERSATIONS = 1_000;
    /** The default bound on the heap the history takes: a sixteenth of the heap, at most 64 MiB. */
    public static final long DEFAULT_HISTORY_BYTES =
            Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
    /** What a record takes on the heap besides its strings: the record, its key, map nodes. */
    private static final int RECORD_OVERHEAD = 320;

    /** Every write's stage: applied before it is returned; a minimal stage no one can complete. */
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private static final Comparator<HistoryRecord> NEWEST_FIRST = Comparator
            .comparing(HistoryRecord::sentAt).thenComparing(HistoryRecord::messageId).reversed();

    /** An outbox entry's key among its peer's entries. */
    private record EntryKey(long epoch, long seq) {
    }

    /** A receive record's key. */
    private record PeerEpoch(PeerKey peer, long epoch) {
    }

    private final int maxRecordsPerConversation;
    private final int maxConversations;
    private final long maxHistoryBytes;
    /** What the history records take, as {@link #cost} counts it. */
    private long historyBytes;
    /** The conversation {@link #ringOf} found last, and its ring; cleared when one goes. */
    private Conversation lastConversation;
    private RecordRing lastRing;
    /**
     * Conversations in the order written to, least recently first: in access order, so that
     * writing to one moves it to the end without a new map entry.
     */
    private final LinkedHashMap<Conversation, RecordRing> history =
            new LinkedHashMap<>(16, 0.75f, true);
    /** Where each stored record is, by id. */
    private final Map<String, HistoryRecord> byId = new HashMap<>();
    /**
     * Each peer's entries by (epoch, number), in the order they were added: a LinkedHashMap
     * keeps an entry's place when it is replaced, so a replaced entry is not resent after the
     * entries numbered after it.
     */
    private final Map<PeerKey, LinkedHashMap<EntryKey, OutboxRecord>> outbox =
            new LinkedHashMap<>();
    private final Map<PeerEpoch, ReceiveRecord> received = new LinkedHashMap<>();
    private final Map<String, RoomPosition> positions = new LinkedHashMap<>();
    private final Map<String, byte[]> values = new HashMap<>();
    private boolean closed;

    /** Creates a store with the default bounds. */
    public MemoryStore() {
        this(DEFAULT_RECORDS_PER_CONVERSATION, DEFAULT_CONVERSATIONS, DEFAULT_HISTORY_BYTES);
    }

    /**
     * Creates a store.
     *
     * @param maxRecordsPerConversation history records kept per conversation, the newest
     * @param maxConversations conversations kept, the most recently written to
     * @param maxHistoryBytes heap all history records may take, as {@link #cost} counts it
     */
    public MemoryStore(int maxRecordsPerConversation, int maxConversations, long maxHistoryBytes) {
        if (maxRecordsPerConversation < 1 || maxConversations < 1 || maxHistoryBytes < 1) {
            throw new IllegalArgumentException("expected bounds of at least 1, got "
                    + maxRecordsPerConversation + ", " + maxConversations + " and "
                    + maxHistoryBytes);
        }
        this.maxRecordsPerConversation = maxRecordsPerConversation;
        this.maxConversations = maxConversations;
        this.maxHistoryBytes = maxHistoryBytes;
    }

    /**
     * What a history record takes on the heap, counted high: two bytes per character of its
     * strings, and the objects around them.
     *
     * @param r the record
     * @return the bytes
     */
    public static long cost(HistoryRecord r) {
        return RECORD_OVERHEAD + 2L * (r.text().length() + r.messageId().length()
                + r.sender().length() + r.conversation().id().length()
                + r.conversation().name().length());
    }

    /** For tests: what the history takes now, as {@link #cost} counts it. */
    public synchronized long historyBytes() {
        return historyBytes;
    }

    /** Nothing outlives the process. */
    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public synchronized CompletionStage<Void> write(StoreWrite write) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException("the store is closed"));
        }
        // Indexed loops: the message path writes millions of small writes, and their lists'
        // iterators are garbage the JIT does not always remove.
        List<HistoryRecord> added = write.historyRecords();
        for (int i = 0; i < added.size(); i++) {
            put(added.get(i));
        }
        List<StoreWrite.StateChange> changes = write.stateChanges();
        for (int i = 0; i < changes.size(); i++) {
            StoreWrite.StateChange c = changes.get(i);
            // Most often the record after the last one changed, in the ring written last (which
            // is at the end of the eviction order already): no map lookup.
            RecordRing recent = lastConversation == null ? null : lastRing;
            int next = recent == null ? -1 : recent.indexOfNext(c.messageId());
            if (next >= 0) {
                recent.state(next, c.state());
                continue;
            }
            HistoryRecord r = byId.get(c.messageId());
            if (r != null) {
                // In place: the same place, the same cost; a new state is not a new message.
                RecordRing records = ringOf(r.conversation());
                int at = records.indexOf(r);
                if (at >= 0) {
                    records.state(at, c.state());
                }
            }
        }
        // StoreWrite's order: acknowledgements before entries, so that entries renumbered
        // below an acknowledged number in the same write stay.
        for (StoreWrite.Acknowledged a : write.acknowledgements()) {
            LinkedHashMap<EntryKey, OutboxRecord> entries = outbox.get(a.peer());
            if (entries != null) {
                // A scan, not a range removal: the map is in insertion order, and a peer's
                // outbox is small (the delivery layer bounds it).
                entries.keySet().removeIf(k -> k.epoch() == a.epoch() && k.seq() <= a.upToSeq());
                if (entries.isEmpty()) {
                    outbox.remove(a.peer());
                }
            }
        }
        for (OutboxRecord e : write.outboxEntries()) {
            outbox.computeIfAbsent(e.peer(), p -> new LinkedHashMap<>())
                    .put(new EntryKey(e.epoch(), e.seq()), e);
        }
        for (ReceiveRecord r : write.receiveRecords()) {
            received.put(new PeerEpoch(r.peer(), r.epoch()), r);
        }
        for (StoreWrite.Forgotten f : write.forgottenReceived()) {
            received.remove(new PeerEpoch(f.peer(), f.epoch()));
        }
        for (RoomPosition p : write.roomPositions()) {
            positions.put(p.roomId() + "/" + p.origin(), p);
        }
        for (StoreWrite.Value v : write.values()) {
            if (v.value() == null) {
                values.remove(v.name());
            } else {
                values.put(v.name(), v.value());
            }
        }
        return DONE;
    }

    /** Lock held: adds or replaces a record, keeping the bounds. */
    private void put(HistoryRecord r) {
        // One lookup for the common case, a new id: put, and undo the old one if there was one.
        HistoryRecord previous = byId.put(r.messageId(), r);
        if (previous != null) {
            RecordRing old = ringOf(previous.conversation());
            if (old != null) {
                historyBytes -= cost(previous);
                old.remove(old.indexOf(previous.sentAt(), previous.messageId()));
                if (old.isEmpty()) {
                    // Its last record moved to another conversation: it has no history now,
                    // so it is not listed and does not count against the bound.
                    history.remove(previous.conversation());
                    lastConversation = null;
                }
            }
        }
        // The access moves it to the end: the conversation written to longest ago goes first.
        RecordRing records = ringOf(r.conversation());
        if (records == null) {
            records = new RecordRing();
            history.put(r.conversation(), records);
            lastConversation = r.conversation();
            lastRing = records;
        }
        records.add(r);
        historyBytes += cost(r);
        if (records.size() > maxRecordsPerConversation) {
            forget(records.pollFirst());
        }
        while (history.size() > maxConversations) {
            Map.Entry<Conversation, RecordRing> eldest = history.entrySet().iterator().next();
            RecordRing gone = eldest.getValue();
            while (!gone.isEmpty()) {
                forget(gone.pollFirst());
            }
            history.remove(eldest.getKey());
            lastConversation = null;
        }
        while (historyBytes > maxHistoryBytes && !history.isEmpty()) {
            Map.Entry<Conversation, RecordRing> eldest = history.entrySet().iterator().next();
            forget(eldest.getValue().pollFirst());
            if (eldest.getValue().isEmpty()) {
                history.remove(eldest.getKey());
                lastConversation = null;
            }
        }
    }

    /**
     * Lock held: a conversation's ring, or null; an access, so it moves to the end of the
     * eviction order. The last one found is kept: writes come a frame's worth at a time for one
     * conversation (the same object), and it is at the end of the order already.
     */
    private RecordRing ringOf(Conversation c) {
        if (c == lastConversation) {
            return lastRing;
        }
        RecordRing ring = history.get(c);
        if (ring != null) {
            lastConversation = c;
            lastRing = ring;
        }
        return ring;
    }

    /** Lock held: a record left its conversation's ring; it leaves the index and the count. */
    private void forget(HistoryRecord gone) {
        byId.remove(gone.messageId());
        historyBytes -= cost(gone);
    }

    @Override
    public synchronized List<HistoryRecord> history(Conversation conversation, HistoryQuery query) {
        // Read without get(): a read must not count as a write for the eviction order.
        RecordRing records = null;
        for (Map.Entry<Conversation, RecordRing> e : history.entrySet()) {
            if (e.getKey().equals(conversation)) {
                records = e.getValue();
                break;
            }
        }
        if (records == null) {
            return List.of();
        }
        int end = query.beforeSentAt() == null ? records.size()
                : records.firstAtOrAfter(query.beforeSentAt(), query.beforeId());
        List<HistoryRecord> page = new ArrayList<>(Math.min(query.limit(), end));
        for (int i = end - 1; i >= 0 && page.size() < query.limit(); i--) {
            HistoryRecord r = records.get(i);
            if (!query.admits(r)) {
                break;
            }
            page.add(r);
        }
        return List.copyOf(page);
    }

    @Override
    public synchronized List<Conversation> conversations(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("expected a limit of at least 1, got " + limit);
        }
        List<HistoryRecord> latest = new ArrayList<>(history.size());
        for (RecordRing records : history.values()) {
            latest.add(records.last());
        }
        latest.sort(NEWEST_FIRST);
        List<Conversation> found = new ArrayList<>(Math.min(limit, latest.size()));
        for (HistoryRecord r : latest.subList(0, Math.min(limit, latest.size()))) {
            found.add(r.conversation());
        }
        return List.copyOf(found);
    }

    @Override
    public synchronized List<HistoryRecord> search(String words, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("expected a limit of at least 1, got " + limit);
        }
        String[] wanted = words.toLowerCase(Locale.ROOT).strip().split("\\s+");
        List<HistoryRecord> found = new ArrayList<>();
        for (RecordRing records : history.values()) {
            for (int i = 0; i < records.size(); i++) {
                HistoryRecord r = records.get(i);
                String text = r.text().toLowerCase(Locale.ROOT);
                boolean all = true;
                for (String w : wanted) {
                    if (!w.isEmpty() && !text.contains(w)) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    found.add(r);
                }
            }
        }
        found.sort(NEWEST_FIRST);
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }

    @Override
    public synchronized List<OutboxRecord> outbox() {
        List<OutboxRecord> all = new ArrayList<>();
        for (LinkedHashMap<EntryKey, OutboxRecord> entries : outbox.values()) {
            all.addAll(entries.values());
        }
        return List.copyOf(all);
    }

    @Override
    public synchronized List<ReceiveRecord> received() {
        return List.copyOf(received.values());
    }

    @Override
    public synchronized List<RoomPosition> roomPositions() {
        return List.copyOf(positions.values());
    }

    @Override
    public synchronized Optional<byte[]> value(String name) {
        byte[] v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
