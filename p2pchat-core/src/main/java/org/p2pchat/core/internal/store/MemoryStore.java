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
import org.p2pchat.api.DeliveryState;
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
 * <p>The direct messages come as {@link NumberedHistory} records, kept as their series, number
 * and text: no record, id string or map entry each (see {@link #numberedCost}); a series
 * counts once per conversation that holds a record of it (see {@link #seriesCost}).
 *
 * <p>Thread-safe: one lock; a write is applied, all of it, before {@link #write} returns, and its
 * stage is then complete.
 */
public final class MemoryStore implements MessageStore, NumberedHistory {
    /** The default bound on history records per conversation. */
    public static final int DEFAULT_RECORDS_PER_CONVERSATION = 10_000;
    /** The default bound on conversations with history. */
    public static final int DEFAULT_CONVERSATIONS = 1_000;
    /** The default bound on the heap the history takes: a sixteenth of the heap, at most 64 MiB. */
    public static final long DEFAULT_HISTORY_BYTES =
            Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
    /** What a record takes on the heap besides its strings: the record, its key, map nodes. */
    private static final int RECORD_OVERHEAD = 320;
    /** What a numbered record takes besides its text's characters: its slots, its index entry. */
    private static final int NUMBERED_OVERHEAD = 96;
    /** What a series takes in a ring besides its prefix's characters: its index, map entries. */
    private static final int SERIES_OVERHEAD = 320;

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

    /**
     * What the store holds of the ids that begin with one series prefix: the rings with numbered
     * records of it, the highest number added (a record numbered higher is new, so adding it
     * looks nothing up), and how many records written as such have an id of that form.
     */
    private static final class Prefix {
        final String name;
        final List<RecordRing> rings = new ArrayList<>(1);
        long maxNumber = -1;
        int written;

        Prefix(String name) {
            this.name = name;
        }
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
    /** The same, to look up without it counting as a write. */
    private final Map<Conversation, RecordRing> rings = new HashMap<>();
    /** Where each record written as a {@link HistoryRecord} is, by id. */
    private final Map<String, HistoryRecord> byId = new HashMap<>();
    /** The ids of the form prefix and number, by prefix; the last one used is kept. */
    private final Map<String, Prefix> prefixes = new HashMap<>();
    private Prefix lastPrefix;
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

    /**
     * What a {@link NumberedHistory} record takes on the heap, counted high: two bytes per
     * character of its text, and its slots in the ring and its series' index.
     *
     * @param text its text
     * @return the bytes
     */
    public static long numberedCost(String text) {
        return NUMBERED_OVERHEAD + 2L * text.length();
    }

    /**
     * What a series takes in a conversation's ring while the ring holds a record of it, counted
     * high: its index there, its prefix and the entries that find it. Counted, so that a
     * stranger who numbers every message in a series of its own (a new process each time)
     * cannot keep more heap than the bound by it.
     *
     * @param prefix the series' prefix
     * @return the bytes
     */
    public static long seriesCost(String prefix) {
        return SERIES_OVERHEAD + 2L * prefix.length();
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
            state(c.messageId(), c.state());
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
                removeAt(previous.conversation(), old,
                        old.indexOf(previous.sentAt(), previous.messageId()));
            }
        } else {
            int numberAt = NumberedSeries.numberStart(r.messageId());
            if (numberAt >= 0) {
                Prefix p = prefix(r.messageId().substring(0, numberAt), true);
                p.written++;
                long number = Long.parseLong(r.messageId().substring(numberAt));
                if (number <= p.maxNumber) {
                    removeNumbered(p, number);
                }
            }
        }
        RecordRing records = ringFor(r.conversation());
        records.add(r);
        historyBytes += cost(r);
        keepBounds(records);
    }

    @Override
    public synchronized boolean sent(NumberedSeries series, long number, String text,
            long sentAt) {
        if (closed) {
            return false;
        }
        putNumbered(series, number, text, DeliveryState.PENDING, sentAt);
        return true;
    }

    @Override
    public synchronized boolean received(NumberedSeries series, Texts texts, int from, int to,
            long firstAt) {
        if (closed) {
            return false;
        }
        for (int i = from; i < to; i++) {
            putNumbered(series, texts.number(i), texts.text(i), DeliveryState.RECEIVED,
                    firstAt + i);
        }
        return true;
    }

    @Override
    public synchronized void state(NumberedSeries series, long number, long sentAt,
            DeliveryState state) {
        changeNumbered(series, number, sentAt, state);
    }

    @Override
    public synchronized void states(NumberedSeries series, Settled records, DeliveryState state) {
        for (int i = 0; i < records.size(); i++) {
            changeNumbered(series, records.number(i), records.sentAt(i), state);
        }
    }

    /** Lock held: as {@link #state(NumberedSeries, long, long, DeliveryState)}. */
    private void changeNumbered(NumberedSeries series, long number, long sentAt,
            DeliveryState state) {
        Conversation c = series.conversation();
        RecordRing records = closed ? null : c.equals(lastConversation) ? lastRing : rings.get(c);
        int at = records == null ? -1 : records.indexOf(series, number, sentAt);
        if (at >= 0) {
            // Found: as for a record written whole, the change is a write to its conversation.
            ringOf(c).state(at, state);
        } else if (!closed) {
            // Replaced since (by a record of another time, or written whole), or forgotten.
            Prefix p = prefix(series.prefix(), false);
            if (p != null && !numberedState(p, number, state) && p.written > 0) {
                state(series.id(number), state);
            }
        }
    }

    /** Lock held: adds or replaces a numbered record, keeping the bounds. */
    private void putNumbered(NumberedSeries s, long number, String text, DeliveryState state,
            long time) {
        Prefix p = prefix(s.prefix(), true);
        // Numbers rise (a sender's counter, a friend's numbering): most often nothing to look up.
        if (number <= p.maxNumber) {
            removeNumbered(p, number);
        }
        if (p.written > 0) {
            HistoryRecord previous = byId.get(s.id(number));
            if (previous != null) {
                RecordRing old = ringOf(previous.conversation());
                removeAt(previous.conversation(), old,
                        old.indexOf(previous.sentAt(), previous.messageId()));
            }
        }
        RecordRing records = ringFor(s.conversation());
        // Again: what was replaced may have been the prefix's last record, and taken it along.
        p = prefix(s.prefix(), true);
        p.maxNumber = Math.max(p.maxNumber, number);
        if (!records.holdsSeries(s.prefix())) {
            p.rings.add(records);
            historyBytes += seriesCost(s.prefix());
        }
        records.add(s, number, text, state, time);
        historyBytes += numberedCost(text);
        keepBounds(records);
    }

    /** Lock held: a numbered record of this id is replaced: the one there goes, if any. */
    private void removeNumbered(Prefix p, long number) {
        for (RecordRing ring : p.rings) {
            int at = ring.indexOfNumbered(p.name, number);
            if (at >= 0) {
                removeAt(ring.conversation(), ringOf(ring.conversation()), at);
                return;
            }
        }
    }

    /** Lock held: a state change by id. */
    private void state(String id, DeliveryState state) {
        // Most often the record after the last one changed, in the ring written last (which is
        // at the end of the eviction order already): no map lookup.
        RecordRing recent = lastConversation == null ? null : lastRing;
        int next = recent == null ? -1 : recent.indexOfNext(id);
        if (next >= 0) {
            recent.state(next, state);
            return;
        }
        HistoryRecord r = byId.get(id);
        if (r != null) {
            // In place: the same place, the same cost; a new state is not a new message.
            RecordRing records = ringOf(r.conversation());
            int at = records.indexOf(r);
            if (at >= 0) {
                records.state(at, state);
            }
        } else {
            numberedState(id, state);
        }
    }

    /** Lock held: a state change by id for a numbered record. */
    private void numberedState(String id, DeliveryState state) {
        int numberAt = NumberedSeries.numberStart(id);
        Prefix p = numberAt < 0 ? null : prefix(id.substring(0, numberAt), false);
        if (p == null) {
            return;
        }
        numberedState(p, Long.parseLong(id.substring(numberAt)), state);
    }

    /** Lock held: a state change for the numbered record of a prefix and number, if any. */
    private boolean numberedState(Prefix p, long number, DeliveryState state) {
        for (RecordRing ring : p.rings) {
            int at = ring.indexOfNumbered(p.name, number);
            if (at >= 0) {
                ringOf(ring.conversation()).state(at, state);
                return true;
            }
        }
        return false;
    }

    /** Lock held: what the store holds of a prefix; made if asked to. */
    private Prefix prefix(String name, boolean make) {
        Prefix p = lastPrefix;
        if (p != null && (p.name == name || p.name.equals(name))) {
            return p;
        }
        p = prefixes.get(name);
        if (p == null && make) {
            p = new Prefix(name);
            prefixes.put(name, p);
        }
        if (p != null) {
            lastPrefix = p;
        }
        return p;
    }

    /** Lock held: a prefix of no record goes. */
    private void dropIfUnused(Prefix p) {
        if (p.rings.isEmpty() && p.written == 0) {
            prefixes.remove(p.name);
            if (lastPrefix == p) {
                lastPrefix = null;
            }
        }
    }

    /**
     * Lock held: a conversation's ring, made if it has none; the access moves it to the end: the
     * conversation written to longest ago goes first.
     */
    private RecordRing ringFor(Conversation c) {
        RecordRing records = ringOf(c);
        if (records == null) {
            records = new RecordRing(c);
            history.put(c, records);
            rings.put(c, records);
            lastConversation = c;
            lastRing = records;
        }
        return records;
    }

    /** Lock held: a conversation with no records left goes. */
    private void forgetConversation(Conversation c) {
        history.remove(c);
        rings.remove(c);
        lastConversation = null;
    }

    /** Lock held: after a record is added to {@code records}, the bounds are kept. */
    private void keepBounds(RecordRing records) {
        if (records.size() > maxRecordsPerConversation) {
            forgetFirst(records);
        }
        while (history.size() > maxConversations) {
            Map.Entry<Conversation, RecordRing> eldest = history.entrySet().iterator().next();
            RecordRing gone = eldest.getValue();
            while (!gone.isEmpty()) {
                forgetFirst(gone);
            }
            forgetConversation(eldest.getKey());
        }
        while (historyBytes > maxHistoryBytes && !history.isEmpty()) {
            Map.Entry<Conversation, RecordRing> eldest = history.entrySet().iterator().next();
            forgetFirst(eldest.getValue());
            if (eldest.getValue().isEmpty()) {
                forgetConversation(eldest.getKey());
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

    /** Lock held: the oldest record of a ring goes, from the indexes and the count too. */
    private void forgetFirst(RecordRing records) {
        forgetting(records, 0);
        String emptied = records.removeFirst();
        if (emptied != null) {
            seriesLeft(emptied, records);
        }
    }

    /**
     * Lock held: the record at an index of a conversation's ring goes, from the indexes and the
     * count too, and the conversation with it if it was its last.
     */
    private void removeAt(Conversation c, RecordRing records, int index) {
        forgetting(records, index);
        String emptied = records.remove(index);
        if (emptied != null) {
            seriesLeft(emptied, records);
        }
        if (records.isEmpty()) {
            // Its last record moved to another conversation: it has no history now, so it is
            // not listed and does not count against the bound.
            forgetConversation(c);
        }
    }

    /** Lock held: the record at an index is about to leave its ring. */
    private void forgetting(RecordRing records, int index) {
        historyBytes -= records.cost(index);
        HistoryRecord written = records.written(index);
        if (written != null && byId.get(written.messageId()) == written) {
            byId.remove(written.messageId());
            int numberAt = NumberedSeries.numberStart(written.messageId());
            Prefix p = numberAt < 0 ? null
                    : prefix(written.messageId().substring(0, numberAt), false);
            if (p != null) {
                p.written--;
                dropIfUnused(p);
            }
        }
    }

    /** Lock held: a ring holds no more numbered records of a prefix. */
    private void seriesLeft(String prefix, RecordRing records) {
        historyBytes -= seriesCost(prefix);
        Prefix p = prefix(prefix, false);
        if (p != null) {
            p.rings.remove(records);
            dropIfUnused(p);
        }
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
                String text = records.text(i).toLowerCase(Locale.ROOT);
                boolean all = true;
                for (String w : wanted) {
                    if (!w.isEmpty() && !text.contains(w)) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    found.add(records.get(i));
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
