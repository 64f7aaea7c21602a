package org.p2pchat.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The behaviour every {@link MessageStore} must have, subclassed once per implementation (like
 * {@link TransportContractTest}), so that the in-memory and the durable stores agree.
 *
 * <p>What it pins down, beyond the SPI's javadoc:
 * <ul>
 *   <li>writes apply all or nothing, in call order, and their stages complete in that order;
 *   <li>history is newest first by {@code (sentAt, messageId)}, with {@link String#compareTo}
 *       on the ids, and {@link HistoryQuery#admits} decides what a page holds;
 *   <li>within one write, the parts apply in {@link StoreWrite}'s order whatever order they
 *       were added in (history records before state changes, acknowledgements before outbox
 *       entries, receive records before forgotten ones);
 *   <li>a history record replaced by id may move to another time or conversation;
 *   <li>search: a record matches when its text lower-cased with {@link Locale#ROOT} contains
 *       every white-space-separated word of the query lower-cased the same way, as a substring
 *       (so "ell" finds "Hello", and "and", "or", quotes and stars are plain text); a blank query
 *       matches every record; results newest first by {@code (sentAt, messageId)} across every
 *       conversation; a limit below 1 is an {@link IllegalArgumentException};
 *   <li>{@link MessageStore#outbox()} lists each peer's entries together, in the order they
 *       were first added, across epochs (the order of the peers is the store's); an entry
 *       replaced by its key (peer, epoch, number) keeps its place, so that a peer's entries of
 *       one epoch stay in the order they were numbered; one added again after it was
 *       acknowledged is a new entry, at the end;
 *   <li>{@link MessageStore#conversations} orders by each conversation's latest record, newest
 *       first by {@code (sentAt, messageId)} as history does; a limit below 1 is an
 *       {@link IllegalArgumentException};
 *   <li>receive records and room positions are compared as sets;
 *   <li>a write after {@link MessageStore#close} fails with {@link StoreException}, and
 *       {@code close} returns only once every write queued before it has completed.
 * </ul>
 *
 * <p>A subclass says how to open its store and whether it is {@link #durable()}; durable stores
 * are also reopened and must find everything committed before the close.
 */
public abstract class MessageStoreContract {
    /** A state directory of the test's own, the same for every open in one test. */
    @TempDir
    protected Path directory;

    private final List<MessageStore> opened = new ArrayList<>();
    private MessageStore store;

    /** Keys of test peers, fixed so that failures repeat. */
    protected static final PeerKey ALICE = key(1);
    /** Another peer. */
    protected static final PeerKey BOB = key(2);
    /** A third peer. */
    protected static final PeerKey CAROL = key(3);

    /**
     * Opens the store under test.
     *
     * @param directory the state directory; a durable store opened twice on it must find there
     *     what it committed the first time
     * @return the store
     */
    protected abstract MessageStore open(Path directory);

    /**
     * Whether the store keeps what it committed across a close and an open on the same
     * directory. Durable stores get the reopen tests too.
     *
     * @return true for a durable store
     */
    protected abstract boolean durable();

    /**
     * Returns the test's store, opening it on first use.
     *
     * @return the store
     */
    protected final MessageStore store() {
        if (store == null) {
            store = track(open(directory));
        }
        return store;
    }

    /**
     * Closes the test's store and opens it again on the same directory (durable stores only).
     *
     * @return the reopened store, now the test's store
     */
    protected final MessageStore reopen() {
        assumeTrue(durable(), "only a durable store can be reopened");
        store().close();
        store = track(open(directory));
        return store;
    }

    private MessageStore track(MessageStore s) {
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        for (MessageStore s : opened) {
            s.close();
        }
    }

    // --------------------------------------------------------------------------------- helpers

    /**
     * A fixed key.
     *
     * @param n which
     * @return the key
     */
    protected static PeerKey key(int n) {
        byte[] b = new byte[PeerKey.BYTES];
        new Random(n).nextBytes(b);
        return PeerKey.of(b);
    }

    /** Newest first, as every history page and search result is ordered. */
    protected static final Comparator<HistoryRecord> NEWEST_FIRST = Comparator
            .comparing(HistoryRecord::sentAt).thenComparing(HistoryRecord::messageId).reversed();

    /**
     * A received record.
     *
     * @param id its message id
     * @param c its conversation
     * @param sentAt when it was sent
     * @param text its text
     * @return the record
     */
    protected static HistoryRecord record(String id, Conversation c, Instant sentAt, String text) {
        return new HistoryRecord(id, c, false, "bob", BOB, text, sentAt,
                sentAt.plusMillis(5), DeliveryState.RECEIVED);
    }

    /**
     * Writes and waits for the stage.
     *
     * @param w the write
     */
    protected final void commit(StoreWrite w) {
        Await.result(store().write(w));
    }

    /** Reads a conversation's whole history, page by page, newest first. */
    private List<HistoryRecord> allPages(Conversation c, int pageSize) {
        List<HistoryRecord> all = new ArrayList<>();
        List<HistoryRecord> page = store().history(c, HistoryQuery.latest(pageSize));
        while (!page.isEmpty()) {
            assertTrue(page.size() <= pageSize, "a page holds at most its limit");
            all.addAll(page);
            page = store().history(c, HistoryQuery.before(page.get(page.size() - 1), pageSize));
        }
        return all;
    }

    private static List<String> ids(List<HistoryRecord> records) {
        return records.stream().map(HistoryRecord::messageId).collect(Collectors.toList());
    }

    /** Writes records, one write each, without waiting between them, then waits for all. */
    private void writeAll(List<HistoryRecord> records) {
        CompletionStage<Void> last = null;
        for (HistoryRecord r : records) {
            last = store().write(new StoreWrite().history(r));
        }
        if (last != null) {
            Await.result(last);
        }
    }

    /** What {@link MessageStore#search} must return, computed from its definition. */
    private static List<HistoryRecord> expectedSearch(Map<String, HistoryRecord> all,
            String words, int limit) {
        String[] wanted = words.toLowerCase(Locale.ROOT).strip().split("\\s+");
        return all.values().stream().filter(r -> {
            String text = r.text().toLowerCase(Locale.ROOT);
            for (String w : wanted) {
                if (!w.isEmpty() && !text.contains(w)) {
                    return false;
                }
            }
            return true;
        }).sorted(NEWEST_FIRST).limit(limit).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------------------------- writes

    @Test
    void writesApplyInCallOrderAndTheirStagesCompleteInThatOrder() {
        Conversation c = Conversation.direct(BOB, "bob");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletionStage<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            StoreWrite w = new StoreWrite()
                    .history(record("same", c, t.plusSeconds(i), "text " + i))
                    .value("last", new byte[] {(byte) i});
            stages.add(store().write(w).thenRun(() -> completed.add(n)));
        }
        for (CompletionStage<Void> s : stages) {
            Await.result(s);
        }
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            inOrder.add(i);
        }
        assertEquals(inOrder, completed, "stages complete in call order");
        List<HistoryRecord> h = store().history(c, HistoryQuery.latest(10));
        assertEquals(1, h.size(), "one record per id");
        assertEquals("text 299", h.get(0).text(), "the last write wins");
        assertArrayEquals(new byte[] {(byte) 299}, store().value("last").orElseThrow());
    }

    @Test
    void aWriteIsAllOrNothingToAConcurrentReader() throws Exception {
        Conversation c = Conversation.room("room-1", "general");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        int writes = 400;
        AtomicReference<Throwable> violation = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.isDone()) {
                    Optional<byte[]> v = store().value("count");
                    if (v.isEmpty()) {
                        continue;
                    }
                    int n = Integer.parseInt(new String(v.get(), StandardCharsets.US_ASCII));
                    // Everything write n did, and every write before it, must be visible now.
                    List<HistoryRecord> h = store().history(c, HistoryQuery.latest(1));
                    int newest = Integer.parseInt(h.get(0).messageId().substring(2));
                    assertTrue(newest >= n, "history record m-" + n + " missing after its value");
                    long acked = store().received().stream().filter(r -> r.peer().equals(ALICE))
                            .mapToLong(ReceiveRecord::deliveredUpTo).max().orElse(-1);
                    assertTrue(acked >= n, "receive record " + n + " missing after its value");
                    assertTrue(store().outbox().stream().anyMatch(e -> e.seq() == n),
                            "outbox entry " + n + " missing after its value");
                }
            } catch (Throwable e) {
                violation.set(e);
            }
        }, "contract-reader");
        store().value("warm-up");
        reader.start();
        CompletionStage<Void> last = null;
        for (int i = 0; i < writes; i++) {
            last = store().write(new StoreWrite()
                    .history(record(String.format(Locale.ROOT, "m-%05d", i), c,
                            t.plusSeconds(i), "hello " + i))
                    .outbox(new OutboxRecord(ALICE, 7, i, (byte) 1, new byte[] {1, 2, 3},
                            t.plusSeconds(60), null))
                    .received(new ReceiveRecord(ALICE, 1, i))
                    .value("count", Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
        }
        Await.result(last);
        done.complete(null);
        reader.join(Await.DEFAULT.toMillis());
        assertFalse(reader.isAlive(), "the reader stops");
        if (violation.get() != null) {
            throw new AssertionError("a reader saw part of a write", violation.get());
        }
        assertEquals(writes, store().outbox().size());
    }

    @Test
    void anEmptyWriteCompletes() {
        commit(new StoreWrite());
        assertTrue(store().outbox().isEmpty());
    }

    @Test
    void historyRecordsOfAWriteApplyBeforeItsStateChanges() {
        Conversation c = Conversation.direct(BOB, "bob");
        HistoryRecord r = new HistoryRecord("out-1", c, true, "me", ALICE, "hi",
                Instant.parse("2024-01-01T00:00:00Z"), null, DeliveryState.PENDING);
        commit(new StoreWrite().state("out-1", DeliveryState.DELIVERED).history(r));
        assertEquals(DeliveryState.DELIVERED,
                store().history(c, HistoryQuery.latest(1)).get(0).state());
    }

    @Test
    void aWriteAcknowledgesBeforeItAddsEntriesWhateverTheOrderTheyWereAddedIn() {
        List<OutboxRecord> old = new ArrayList<>();
        StoreWrite w = new StoreWrite();
        for (int seq = 1; seq <= 5; seq++) {
            old.add(entry(ALICE, 7, seq));
            w.outbox(old.get(seq - 1));
        }
        commit(w);
        // Renumbered from 2, overlapping the acknowledged 1..5, added before the
        // acknowledgement: the acknowledgement applies first, so all three stay.
        List<OutboxRecord> renumbered = List.of(
                new OutboxRecord(ALICE, 7, 2, (byte) 1, new byte[] {2}, Instant.EPOCH, "n2"),
                new OutboxRecord(ALICE, 7, 3, (byte) 1, new byte[] {3}, Instant.EPOCH, "n3"),
                new OutboxRecord(ALICE, 7, 6, (byte) 1, new byte[] {6}, Instant.EPOCH, "n6"));
        StoreWrite both = new StoreWrite();
        renumbered.forEach(both::outbox);
        both.acknowledged(ALICE, 7, 5);
        commit(both);
        assertOutbox(renumbered);
    }

    @Test
    void aWriteForgetsReceiveRecordsAfterItRecordsThem() {
        commit(new StoreWrite().received(new ReceiveRecord(BOB, 3, 9)));
        // Forgotten first in call order, recorded second: forgetting still applies last.
        commit(new StoreWrite().forgetReceived(BOB, 3).received(new ReceiveRecord(BOB, 3, 10))
                .forgetReceived(ALICE, 4).received(new ReceiveRecord(ALICE, 4, 1))
                .received(new ReceiveRecord(ALICE, 5, 1)));
        assertEquals(List.of(new ReceiveRecord(ALICE, 5, 1)), store().received());
    }

    // --------------------------------------------------------------------------------- history

    @Test
    void aRecordReadsBackAsItWasWritten() {
        Conversation c = Conversation.direct(BOB, "Bob Smith");
        HistoryRecord sent = new HistoryRecord("out-1", c, true, "me", ALICE, "héllo ✓ 😀",
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789), null, DeliveryState.PENDING);
        HistoryRecord got = new HistoryRecord("in-1", c, false, "Bob Smith", BOB, "",
                Instant.ofEpochSecond(1_700_000_001L, 1),
                Instant.ofEpochSecond(1_700_000_002L, 999_999_999), DeliveryState.RECEIVED);
        commit(new StoreWrite().history(sent).history(got));
        List<HistoryRecord> h = store().history(c, HistoryQuery.latest(10));
        assertEquals(List.of(got, sent), h);
        for (HistoryRecord r : h) {
            assertEquals("Bob Smith", r.conversation().name(), "the name written is kept");
        }
        assertNull(h.get(1).receivedAt());
        assertTrue(h.get(1).outgoing());
        assertEquals(ALICE, h.get(1).senderKey());
    }

    @Test
    void historyIsNewestFirstBySentAtThenByMessageId() {
        Conversation c = Conversation.room("r", "room");
        Instant t = Instant.parse("2024-05-01T12:00:00Z");
        List<HistoryRecord> records = List.of(
                record("b", c, t, "1"), record("a", c, t, "2"), record("c", c, t.minusNanos(1),
                        "3"), record("A", c, t, "4"), record("z", c, t.plusNanos(1), "5"),
                record("ab", c, t, "6"));
        writeAll(records);
        assertEquals(List.of("z", "b", "ab", "a", "A", "c"),
                ids(store().history(c, HistoryQuery.latest(100))));
        assertEquals(List.of("z", "b"), ids(store().history(c, HistoryQuery.latest(2))));
    }

    @Test
    void pagingVisitsEveryRecordExactlyOnceOver10000RecordsInSeveralConversations() {
        Random random = new Random(20240501);
        List<Conversation> conversations = List.of(Conversation.direct(ALICE, "alice"),
                Conversation.direct(BOB, "bob"), Conversation.room("room-a", "a"),
                Conversation.room("room-b", "b"), Conversation.room(ALICE.toString(), "alias"));
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        List<HistoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Conversation c = conversations.get(random.nextInt(conversations.size()));
            // Few distinct times, so that many records share one and the id decides.
            Instant sentAt = base.plusSeconds(random.nextInt(1_500))
                    .plusNanos(random.nextInt(4) == 0 ? random.nextInt(3) : 0);
            records.add(record(Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "-" + i, c,
                    sentAt, "message " + i));
        }
        writeAll(records);
        for (Conversation c : conversations) {
            List<HistoryRecord> expected = records.stream().filter(r -> r.conversation().equals(c))
                    .sorted(NEWEST_FIRST).collect(Collectors.toList());
            int pageSize = 1 + random.nextInt(300);
            List<HistoryRecord> all = allPages(c, pageSize);
            assertEquals(ids(expected), ids(all), c + " paged by " + pageSize);
            assertEquals(expected, all);
        }
        List<HistoryRecord> ones = allPages(conversations.get(0), 1);
        assertEquals(new HashSet<>(ids(ones)).size(), ones.size(), "no record twice");
    }

    @Test
    void recordsWithEqualSentAtPageByMessageId() {
        Conversation c = Conversation.direct(BOB, "bob");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<HistoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(record("id-" + (char) ('A' + i), c, t, "same time " + i));
        }
        records.add(record("older", c, t.minusMillis(1), "older"));
        records.add(record("newer", c, t.plusMillis(1), "newer"));
        writeAll(records);
        List<HistoryRecord> expected = new ArrayList<>(records);
        expected.sort(NEWEST_FIRST);
        for (int pageSize : new int[] {1, 7, 60, 61, 100}) {
            assertEquals(ids(expected), ids(allPages(c, pageSize)), "pages of " + pageSize);
        }
    }

    @Test
    void sinceBoundsThePageFromBelowInclusively() {
        Conversation c = Conversation.room("r", "room");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<HistoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record(String.format(Locale.ROOT, "m%02d", i), c, t.plusSeconds(i), "x"));
        }
        writeAll(records);
        assertEquals(List.of("m19", "m18", "m17", "m16", "m15"),
                ids(store().history(c, HistoryQuery.since(t.plusSeconds(15), 100))));
        assertEquals(List.of("m19", "m18"),
                ids(store().history(c, HistoryQuery.since(t.plusSeconds(15), 2))));
        assertEquals(List.of("m16", "m15"), ids(store().history(c,
                new HistoryQuery(10, t.plusSeconds(17), "m17", t.plusSeconds(15)))));
        assertEquals(List.of(), ids(store().history(c,
                HistoryQuery.since(t.plusSeconds(19).plusNanos(1), 10))));
        for (HistoryRecord r : records) {
            HistoryQuery q = new HistoryQuery(100, t.plusSeconds(12), "m12", t.plusSeconds(5));
            assertEquals(q.admits(r), store().history(c, q).contains(r), r.messageId());
        }
    }

    @Test
    void aRecordWrittenAgainWithItsIdReplacesItEvenInAnotherConversation() {
        Conversation a = Conversation.direct(BOB, "bob");
        Conversation b = Conversation.room("room", "room");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        commit(new StoreWrite().history(record("x", a, t, "first"))
                .history(record("y", a, t.plusSeconds(1), "other")));
        commit(new StoreWrite().history(record("x", a, t.plusSeconds(2), "second")));
        assertEquals(List.of("x", "y"), ids(store().history(a, HistoryQuery.latest(10))));
        assertEquals("second", store().history(a, HistoryQuery.latest(1)).get(0).text());
        assertEquals(List.of(), ids(store().search("first", 10)), "the old text is gone");
        commit(new StoreWrite().history(record("x", b, t, "third")));
        assertEquals(List.of("y"), ids(store().history(a, HistoryQuery.latest(10))));
        assertEquals(List.of("x"), ids(store().history(b, HistoryQuery.latest(10))));
    }

    @Test
    void stateChangesApplyAndUnknownIdsChangeNothing() {
        Conversation c = Conversation.direct(BOB, "bob");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        HistoryRecord r = new HistoryRecord("out-1", c, true, "me", ALICE, "hello", t, null,
                DeliveryState.PENDING);
        commit(new StoreWrite().history(r));
        commit(new StoreWrite().state("out-1", DeliveryState.DELIVERED)
                .state("no-such-id", DeliveryState.FAILED));
        List<HistoryRecord> h = store().history(c, HistoryQuery.latest(10));
        assertEquals(List.of(r.withState(DeliveryState.DELIVERED)), h);
        assertEquals(DeliveryState.DELIVERED, h.get(0).state());
        assertEquals(DeliveryState.DELIVERED, store().search("hello", 1).get(0).state());
        commit(new StoreWrite().state("out-1", DeliveryState.FAILED));
        assertEquals(DeliveryState.FAILED, store().history(c, HistoryQuery.latest(1)).get(0)
                .state());
    }

    @Test
    void conversationsAreTheSameByKindAndIdWhateverTheirNames() {
        Conversation asBob = Conversation.direct(BOB, "bob");
        Conversation asRobert = Conversation.direct(BOB, "Robert");
        Conversation room = Conversation.room(BOB.toString(), "bob");
        assertEquals(asBob, asRobert);
        assertEquals(asBob.hashCode(), asRobert.hashCode());
        assertFalse(asBob.equals(room), "a room is not a direct conversation, whatever its id");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        commit(new StoreWrite().history(record("1", asBob, t, "a"))
                .history(record("2", asRobert, t.plusSeconds(1), "b"))
                .history(record("3", room, t.plusSeconds(2), "c")));
        List<HistoryRecord> direct = store().history(Conversation.direct(BOB, "whoever"),
                HistoryQuery.latest(10));
        assertEquals(List.of("2", "1"), ids(direct));
        assertEquals("Robert", direct.get(0).conversation().name());
        assertEquals("bob", direct.get(1).conversation().name());
        assertEquals(List.of("3"), ids(store().history(Conversation.room(BOB.toString(), "x"),
                HistoryQuery.latest(10))));
        assertEquals(List.of(), store().history(Conversation.direct(CAROL, "bob"),
                HistoryQuery.latest(10)));
    }

    // --------------------------------------------------------------------------- conversations

    private static List<String> names(List<Conversation> conversations) {
        return conversations.stream().map(c -> c.kind() + ":" + c.id() + "=" + c.name())
                .collect(Collectors.toList());
    }

    @Test
    void conversationsListTheOneWithTheLatestMessageFirstNamedAsItsLatestRecord() {
        assertEquals(List.of(), store().conversations(10), "no history, no conversations");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        Conversation bob = Conversation.direct(BOB, "bob");
        Conversation room = Conversation.room("room", "general");
        Conversation carol = Conversation.direct(CAROL, "carol");
        commit(new StoreWrite()
                // A conversation's last record written is not its latest sent (r2, b3): the
                // time sent decides which record names it.
                .history(record("b1", bob, t.plusSeconds(10), "x"))
                .history(record("b2", Conversation.direct(BOB, "Robert"), t.plusSeconds(30), "x"))
                .history(record("b3", Conversation.direct(BOB, "Bobby"), t.plusSeconds(20), "x"))
                .history(record("r1", room, t.plusSeconds(40), "x"))
                .history(record("r2", Conversation.room("room", "renamed"), t.plusSeconds(5),
                        "x")));
        commit(new StoreWrite().history(record("c1", carol, t.plusSeconds(1), "x")));
        assertEquals(List.of("ROOM:room=general", "DIRECT:" + BOB + "=Robert",
                "DIRECT:" + CAROL + "=carol"), names(store().conversations(10)),
                "newest first, each named as its latest record, not its last written");
        assertEquals(List.of("ROOM:room=general"), names(store().conversations(1)));
        assertEquals(List.of(room, Conversation.direct(BOB, "?")), store().conversations(2));
        commit(new StoreWrite().history(record("c2", Conversation.direct(CAROL, "Caroline"),
                t.plusSeconds(50), "x")).state("r1", DeliveryState.DELIVERED));
        assertEquals(List.of("DIRECT:" + CAROL + "=Caroline", "ROOM:room=general",
                "DIRECT:" + BOB + "=Robert"), names(store().conversations(10)));
        assertThrows(IllegalArgumentException.class, () -> store().conversations(0));
    }

    @Test
    void conversationsFollowRecordsReplacedByIdAndBreakTiesByMessageId() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        Conversation a = Conversation.room("a", "A");
        Conversation b = Conversation.room("b", "B");
        Conversation c = Conversation.room("c", "C");
        commit(new StoreWrite().history(record("m-a", a, t, "x"))
                .history(record("m-b", b, t, "x")).history(record("m-c", c, t, "x")));
        assertEquals(List.of(c, b, a), store().conversations(10),
                "equal times: the latest record's message id, as history orders");
        // c's only record moves to a, under another name: c has no history left.
        commit(new StoreWrite().history(record("m-c", Conversation.room("a", "A2"),
                t.minusSeconds(1), "x")));
        assertEquals(List.of("ROOM:b=B", "ROOM:a=A"), names(store().conversations(10)));
        // b's record moves back in time: a is now the latest.
        commit(new StoreWrite().history(record("m-b", b, t.minusSeconds(5), "x")));
        assertEquals(List.of("ROOM:a=A", "ROOM:b=B"), names(store().conversations(10)));
        if (durable()) {
            reopen();
            assertEquals(List.of("ROOM:a=A", "ROOM:b=B"), names(store().conversations(10)));
        }
    }

    @Test
    void conversationsAreListedUpToTheLimitOver300Conversations() {
        Random random = new Random(300);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        Map<Conversation, HistoryRecord> latest = new HashMap<>();
        List<HistoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int n = random.nextInt(300);
            Conversation c = n % 2 == 0 ? Conversation.room("room-" + n, "room " + i)
                    : Conversation.direct(key(1_000 + n), "peer " + i);
            HistoryRecord r = record("x" + i, c, base.plusSeconds(random.nextInt(2_000)), "x");
            records.add(r);
            latest.merge(c, r, (x, y) -> NEWEST_FIRST.compare(x, y) <= 0 ? x : y);
        }
        writeAll(records);
        List<String> expected = latest.values().stream().sorted(NEWEST_FIRST)
                .map(r -> r.conversation().kind() + ":" + r.conversation().id() + "="
                        + r.conversation().name())
                .collect(Collectors.toList());
        assertEquals(expected, names(store().conversations(1_000)));
        assertEquals(expected.subList(0, 25), names(store().conversations(25)));
    }

    // ---------------------------------------------------------------------------------- search

    @Test
    void searchMatchesEveryWordCaseInsensitivelyNewestFirstOver10000Records() {
        Random random = new Random(7);
        String[] vocabulary = {"apple", "Banana", "cherry", "dragonfruit", "elder", "fig",
            "GRAPE", "honeydew", "kiwi", "lemon", "mango", "nectarine", "ok", "pear", "quince",
            "x", "Zürich", "ÉCLAIR", "naïve"};
        List<Conversation> conversations = List.of(Conversation.direct(ALICE, "alice"),
                Conversation.room("r1", "one"), Conversation.room("r2", "two"));
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        Map<String, HistoryRecord> all = new LinkedHashMap<>();
        List<HistoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            StringBuilder text = new StringBuilder();
            int words = 1 + random.nextInt(6);
            for (int w = 0; w < words; w++) {
                String word = vocabulary[random.nextInt(vocabulary.length)];
                text.append(random.nextBoolean() ? word.toUpperCase(Locale.ROOT) : word)
                        .append(random.nextInt(5) == 0 ? ", " : " ");
            }
            if (i % 1_000 == 0) {
                text.append("needle");
            }
            HistoryRecord r = record("s" + i, conversations.get(i % 3), base.plusSeconds(
                    random.nextInt(5_000)), text.toString().strip());
            records.add(r);
            all.put(r.messageId(), r);
        }
        writeAll(records);
        String[] queries = {"apple", "APPLE banana", "cherry fig kiwi", "needle", "NEEDLE apple",
            "ell", "an", "x", "ok x", "zürich", "ZÜRICH éclair", "naïve, pear", "   lemon   mango ",
            "nomatch", "apple nomatch", "dragonfruit honeydew quince nectarine", "e"};
        for (String q : queries) {
            for (int limit : new int[] {1, 10, 20_000}) {
                assertEquals(ids(expectedSearch(all, q, limit)), ids(store().search(q, limit)),
                        "search '" + q + "' limit " + limit);
            }
        }
        assertEquals(10, store().search("needle", 100).size());
        assertEquals(expectedSearch(all, "fig", 50), store().search("fig", 50));
    }

    @Test
    void searchTakesQueryTextLiterallyAndMatchesSubstrings() {
        Conversation c = Conversation.room("r", "room");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        writeAll(List.of(
                record("1", c, t, "Hello, World!"),
                record("2", c, t.plusSeconds(1), "say \"hi\" AND leave * now"),
                record("3", c, t.plusSeconds(2), "rock OR roll NOT NEAR(x y) -minus"),
                record("4", c, t.plusSeconds(3), "helloworld")));
        assertEquals(List.of("4", "1"), ids(store().search("ELLO", 10)));
        assertEquals(List.of("4", "1"), ids(store().search("hello world", 10)));
        assertEquals(List.of("1"), ids(store().search("world!", 10)));
        assertEquals(List.of("2"), ids(store().search("\"hi\"", 10)));
        assertEquals(List.of("2"), ids(store().search("and *", 10)));
        assertEquals(List.of("3"), ids(store().search("or not near(x", 10)));
        assertEquals(List.of("3"), ids(store().search("-minus", 10)));
        assertEquals(List.of("4", "3", "2", "1"), ids(store().search("  ", 10)),
                "a blank query matches every record");
        assertEquals(List.of("4"), ids(store().search("", 1)));
        assertEquals(List.of(), ids(store().search("hello nothing", 10)));
        assertThrows(IllegalArgumentException.class, () -> store().search("hello", 0));
    }

    // ------------------------------------------------------------------ outbox, receive, rooms

    /** An outbox entry with a body and deadline made from its key, to tell entries apart. */
    private static OutboxRecord entry(PeerKey peer, long epoch, long seq) {
        return new OutboxRecord(peer, epoch, seq, (byte) seq,
                ("body " + epoch + "/" + seq).getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochSecond(1_800_000_000L + seq, 42), seq % 2 == 0 ? null : "m" + seq);
    }

    @Test
    void outboxEntriesAreReplacedByTheirKeyAndAcknowledgedUpToANumberPerPeer() {
        List<OutboxRecord> entries = new ArrayList<>();
        StoreWrite w = new StoreWrite();
        for (PeerKey p : List.of(CAROL, ALICE, BOB)) {
            for (int seq : new int[] {5, 1, 3, 2, 4, 10}) {
                OutboxRecord e = entry(p, 1, seq);
                entries.add(e);
                w.outbox(e);
            }
        }
        commit(w);
        assertOutbox(entries);
        OutboxRecord again = new OutboxRecord(BOB, 1, 3, (byte) 9, new byte[] {9, 9},
                Instant.EPOCH, "again");
        commit(new StoreWrite().outbox(again));
        entries.replaceAll(e -> e.peer().equals(BOB) && e.seq() == 3 ? again : e);
        assertOutbox(entries);
        commit(new StoreWrite().acknowledged(ALICE, 1, 4).acknowledged(CAROL, 1, 0)
                .acknowledged(key(99), 1, 100));
        entries.removeIf(e -> e.peer().equals(ALICE) && e.seq() <= 4);
        assertOutbox(entries);
        commit(new StoreWrite().acknowledged(BOB, 1, Long.MAX_VALUE));
        entries.removeIf(e -> e.peer().equals(BOB));
        assertOutbox(entries);
        OutboxRecord first = store().outbox().get(0);
        byte[] body = first.body();
        body[0] ^= 1;
        assertFalse(java.util.Arrays.equals(body, store().outbox().get(0).body()),
                "bodies are copies");
    }

    @Test
    void anAcknowledgementRemovesOnlyTheEntriesOfItsEpoch() {
        // Epochs are random longs: negative ones and the extremes included.
        long[] epochs = {-5, Long.MAX_VALUE, Long.MIN_VALUE, 0};
        List<OutboxRecord> entries = new ArrayList<>();
        StoreWrite w = new StoreWrite();
        for (long epoch : epochs) {
            for (int seq = 1; seq <= 4; seq++) {
                OutboxRecord e = entry(ALICE, epoch, seq);
                entries.add(e);
                w.outbox(e);
            }
        }
        OutboxRecord bobs = entry(BOB, -5, 1);
        entries.add(bobs);
        w.outbox(bobs);
        commit(w);
        assertOutbox(entries);
        commit(new StoreWrite().acknowledged(ALICE, -5, 2).acknowledged(ALICE, Long.MIN_VALUE, 3)
                .acknowledged(ALICE, 12345, Long.MAX_VALUE));
        entries.removeIf(e -> e.peer().equals(ALICE) && (e.epoch() == -5 && e.seq() <= 2
                || e.epoch() == Long.MIN_VALUE && e.seq() <= 3));
        assertOutbox(entries);
        assertTrue(store().outbox().contains(bobs), "another peer's entries of that epoch stay");
        commit(new StoreWrite().acknowledged(ALICE, Long.MAX_VALUE, Long.MAX_VALUE));
        entries.removeIf(e -> e.peer().equals(ALICE) && e.epoch() == Long.MAX_VALUE);
        assertOutbox(entries);
        assertEquals(Set.of(-5L, Long.MIN_VALUE, 0L), store().outbox().stream()
                .filter(e -> e.peer().equals(ALICE)).map(OutboxRecord::epoch)
                .collect(Collectors.toSet()));
    }

    @Test
    void aPeersEntriesAreListedInTheOrderTheyWereAddedAcrossEpochs() {
        // Neither the epochs' values nor the numbers give the order: only when each was added.
        List<OutboxRecord> entries = new ArrayList<>(List.of(entry(ALICE, 900, 7),
                entry(ALICE, 900, 8), entry(ALICE, -3, 1), entry(BOB, 5, 1)));
        StoreWrite w = new StoreWrite();
        entries.forEach(w::outbox);
        commit(w);
        List<OutboxRecord> later = List.of(entry(ALICE, 900, 9), entry(ALICE, 2, 1),
                entry(ALICE, -3, 2), entry(BOB, 1, 1));
        for (OutboxRecord e : later) {
            commit(new StoreWrite().outbox(e));
            entries.add(e);
        }
        assertOutbox(entries);
        OutboxRecord replaced = new OutboxRecord(ALICE, 900, 8, (byte) 42, new byte[] {4, 2},
                Instant.EPOCH, null);
        commit(new StoreWrite().outbox(replaced));
        entries.replaceAll(e -> e.peer().equals(ALICE) && e.epoch() == 900 && e.seq() == 8
                ? replaced : e);
        assertOutbox(entries);
        // Acknowledged, then added again: a new entry, the last.
        commit(new StoreWrite().acknowledged(ALICE, 900, 7));
        OutboxRecord readded = entry(ALICE, 900, 7);
        commit(new StoreWrite().outbox(readded));
        entries.remove(readded);
        entries.add(readded);
        assertOutbox(entries);
        if (durable()) {
            reopen();
            assertOutbox(entries);
        }
    }

    /** Asserts the outbox holds exactly these entries, each peer's together and in this order. */
    private void assertOutbox(List<OutboxRecord> expected) {
        List<OutboxRecord> got = store().outbox();
        assertEquals(new HashSet<>(expected), new HashSet<>(got));
        assertEquals(expected.size(), got.size());
        PeerKey previous = null;
        Set<PeerKey> finished = new HashSet<>();
        for (OutboxRecord e : got) {
            if (!e.peer().equals(previous)) {
                assertTrue(finished.add(e.peer()), "each peer's entries together: " + got);
                previous = e.peer();
            }
        }
        for (PeerKey p : finished) {
            assertEquals(expected.stream().filter(e -> e.peer().equals(p)).toList(),
                    got.stream().filter(e -> e.peer().equals(p)).toList(),
                    "a peer's entries in the order they were added");
        }
    }

    @Test
    void receiveRecordsReplaceEachOtherPerPeerAndEpochAndAreForgottenOneByOne() {
        commit(new StoreWrite().received(new ReceiveRecord(ALICE, 1, 10))
                .received(new ReceiveRecord(ALICE, -2, 4))
                .received(new ReceiveRecord(BOB, 1, 3)));
        commit(new StoreWrite().received(new ReceiveRecord(ALICE, 1, 12))
                .received(new ReceiveRecord(ALICE, Long.MIN_VALUE, 0)));
        assertEquals(Set.of(new ReceiveRecord(ALICE, 1, 12), new ReceiveRecord(ALICE, -2, 4),
                new ReceiveRecord(ALICE, Long.MIN_VALUE, 0), new ReceiveRecord(BOB, 1, 3)),
                new HashSet<>(store().received()));
        assertEquals(4, store().received().size());
        commit(new StoreWrite().forgetReceived(ALICE, 1).forgetReceived(CAROL, 1)
                .forgetReceived(BOB, 2));
        assertEquals(Set.of(new ReceiveRecord(ALICE, -2, 4),
                new ReceiveRecord(ALICE, Long.MIN_VALUE, 0), new ReceiveRecord(BOB, 1, 3)),
                new HashSet<>(store().received()), "only that peer's record of that epoch goes");
        assertEquals(3, store().received().size());
        commit(new StoreWrite().received(new ReceiveRecord(ALICE, 1, 2)));
        assertTrue(store().received().contains(new ReceiveRecord(ALICE, 1, 2)),
                "a forgotten epoch can be recorded again");
    }

    @Test
    void roomPositionsReplaceEachOtherPerRoomAndOrigin() {
        commit(new StoreWrite().roomPosition(new RoomPosition("r1", ALICE, 1, 5))
                .roomPosition(new RoomPosition("r1", BOB, 1, 7))
                .roomPosition(new RoomPosition("r2", ALICE, 3, 1)));
        commit(new StoreWrite().roomPosition(new RoomPosition("r1", ALICE, 2, 1))
                .roomPosition(new RoomPosition("r2", ALICE, 3, 9)));
        assertEquals(Set.of(new RoomPosition("r1", ALICE, 2, 1), new RoomPosition("r1", BOB, 1, 7),
                new RoomPosition("r2", ALICE, 3, 9)), new HashSet<>(store().roomPositions()));
        assertEquals(3, store().roomPositions().size());
    }

    @Test
    void valuesAreSetReplacedAndRemoved() {
        assertTrue(store().value("seq").isEmpty());
        commit(new StoreWrite().value("seq", new byte[] {1}).value("other", new byte[0]));
        assertArrayEquals(new byte[] {1}, store().value("seq").orElseThrow());
        assertArrayEquals(new byte[0], store().value("other").orElseThrow());
        commit(new StoreWrite().value("seq", new byte[] {2, 3}));
        assertArrayEquals(new byte[] {2, 3}, store().value("seq").orElseThrow());
        store().value("seq").orElseThrow()[0] = 42;
        assertArrayEquals(new byte[] {2, 3}, store().value("seq").orElseThrow(), "a copy");
        commit(new StoreWrite().value("seq", null).value("never-set", null));
        assertTrue(store().value("seq").isEmpty());
        assertTrue(store().value("never-set").isEmpty());
        assertArrayEquals(new byte[0], store().value("other").orElseThrow());
        commit(new StoreWrite().value("x", new byte[] {1}).value("x", null));
        assertTrue(store().value("x").isEmpty(), "a write's values apply in order");
    }

    // ----------------------------------------------------------------------------------- close

    @Test
    void aWriteAfterCloseFailsWithStoreException() {
        MessageStore s = store();
        commit(new StoreWrite().value("a", new byte[] {1}));
        s.close();
        s.close();
        Throwable failure = Await.failure(s.write(new StoreWrite().value("b", new byte[] {1})));
        assertInstanceOf(StoreException.class, failure);
    }

    @Test
    void closeReturnsOnceEveryQueuedWriteHasCompleted() {
        MessageStore s = store();
        Conversation c = Conversation.direct(BOB, "bob");
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            stages.add(s.write(new StoreWrite().history(record("q" + i, c, t.plusSeconds(i), "q"))
                    .value("last", Integer.toString(i).getBytes(StandardCharsets.US_ASCII)))
                    .toCompletableFuture());
        }
        s.close();
        for (CompletableFuture<Void> stage : stages) {
            assertTrue(stage.isDone() && !stage.isCompletedExceptionally(),
                    "every write queued before close has been applied when close returns");
        }
        if (durable()) {
            MessageStore again = reopen();
            assertEquals(2_000, allPages(c, 500).size());
            assertArrayEquals("1999".getBytes(StandardCharsets.US_ASCII),
                    again.value("last").orElseThrow());
        }
    }

    // ------------------------------------------------------------------------ durable: reopen

    @Test
    void reopenFindsEverythingCommitted() {
        assumeTrue(durable(), "a durable store");
        Conversation direct = Conversation.direct(BOB, "bob");
        Conversation room = Conversation.room("room", "general");
        Instant t = Instant.ofEpochSecond(1_700_000_000L, 17);
        List<HistoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(record("r" + i, i % 2 == 0 ? direct : room, t.plusMillis(i * 7L % 900),
                    "word" + (i % 13) + " durable"));
        }
        writeAll(records);
        commit(new StoreWrite().state("r0", DeliveryState.DELIVERED)
                .outbox(new OutboxRecord(ALICE, 9, 1, (byte) 3, new byte[] {1, 2}, t, "r0"))
                .outbox(new OutboxRecord(ALICE, 9, 2, (byte) 3, new byte[] {3}, t, null))
                .outbox(new OutboxRecord(ALICE, -1, 1, (byte) 3, new byte[] {4}, t, null))
                .received(new ReceiveRecord(BOB, 4, 44))
                .received(new ReceiveRecord(BOB, 5, 2))
                .roomPosition(new RoomPosition("room", CAROL, 2, 8))
                .value("numbering", new byte[] {7, 7}));
        List<HistoryRecord> directBefore = allPages(direct, 64);
        List<String> conversationsBefore = names(store().conversations(10));
        List<HistoryRecord> roomBefore = allPages(room, 64);
        List<HistoryRecord> searchBefore = store().search("WORD3 durable", 1_000);
        List<OutboxRecord> outboxBefore = store().outbox();
        reopen();
        assertEquals(directBefore, allPages(direct, 64));
        assertEquals(roomBefore, allPages(room, 64));
        assertEquals(DeliveryState.DELIVERED, allPages(direct, 500).stream()
                .filter(r -> r.messageId().equals("r0")).findFirst().orElseThrow().state());
        assertEquals(searchBefore, store().search("WORD3 durable", 1_000));
        assertFalse(searchBefore.isEmpty());
        assertEquals(outboxBefore, store().outbox());
        assertEquals(Set.of(new ReceiveRecord(BOB, 4, 44), new ReceiveRecord(BOB, 5, 2)),
                new HashSet<>(store().received()));
        assertEquals(2, conversationsBefore.size());
        assertEquals(conversationsBefore, names(store().conversations(10)));
        assertEquals(List.of(new RoomPosition("room", CAROL, 2, 8)), store().roomPositions());
        assertArrayEquals(new byte[] {7, 7}, store().value("numbering").orElseThrow());
        commit(new StoreWrite().value("numbering", new byte[] {8}));
        reopen();
        assertArrayEquals(new byte[] {8}, store().value("numbering").orElseThrow(),
                "a reopened store writes as before");
    }
}
