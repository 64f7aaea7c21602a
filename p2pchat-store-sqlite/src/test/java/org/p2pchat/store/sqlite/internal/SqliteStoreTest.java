package org.p2pchat.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.MessageStoreProvider;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.RoomPosition;
import org.p2pchat.api.StoreException;
import org.p2pchat.spi.StoreWrite;
import org.p2pchat.testkit.Await;

/**
 * What the SQLite store does beyond the contract: its file and settings, its schema versions,
 * and how a batch isolates a failing write.
 */
class SqliteStoreTest {
    private static final PeerKey KEY = PeerKey.of(new byte[PeerKey.BYTES]);
    private static final Conversation ROOM = Conversation.room("room", "room");
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path directory;

    private static HistoryRecord record(String id, String text) {
        return new HistoryRecord(id, ROOM, false, "bob", KEY, text, T, T, DeliveryState.RECEIVED);
    }

    private Path file() {
        return directory.resolve("history.db");
    }

    private Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    // ------------------------------------------------------------------- provider, file, mode

    @Test
    void theProviderIsNamedSqliteAboveTheMemoryStoreAndNeedsADirectory() {
        MessageStoreProvider provider = new SqliteStoreProvider();
        assertEquals("sqlite", provider.name());
        assertTrue(provider.priority() > 0, "above the memory store's 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open(null));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void theModuleProvidesTheStoreAndExportsNothing() {
        Module module = SqliteStoreProvider.class.getModule();
        if (!module.isNamed()) {
            return; // on the class path, META-INF/services is what counts (the crash test's child)
        }
        ModuleDescriptor d = module.getDescriptor();
        assertEquals("org.p2pchat.store.sqlite", d.name());
        assertTrue(d.exports().isEmpty(), "exports nothing: " + d.exports());
        assertTrue(d.provides().stream().anyMatch(p -> p.service()
                .equals(MessageStoreProvider.class.getName())
                && p.providers().equals(List.of(SqliteStoreProvider.class.getName()))));
    }

    @Test
    void theStoreIsHistoryDbInWalModeCreatingItsDirectory() throws Exception {
        Path nested = directory.resolve("a").resolve("b");
        try (MessageStore store = new SqliteStoreProvider().open(nested)) {
            Await.result(store.write(new StoreWrite().history(record("1", "hello"))));
            assertTrue(Files.exists(nested.resolve("history.db")));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
                    + nested.resolve("history.db"))) {
                assertEquals("wal", query(c, "PRAGMA journal_mode"));
                assertEquals(Integer.toString(Schema.LATEST), query(c, "PRAGMA user_version"));
                assertEquals(Integer.toString(Schema.APPLICATION_ID),
                        query(c, "PRAGMA application_id"));
            }
        }
    }

    @Test
    void synchronousIsNormalByDefaultAndFullOnRequest() {
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL)) {
            assertEquals("1", Await.result(store.onWriter(c -> query(c, "PRAGMA synchronous"))));
        }
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.FULL)) {
            assertEquals("2", Await.result(store.onWriter(c -> query(c, "PRAGMA synchronous"))));
            assertEquals("10000", Await.result(store.onWriter(c -> query(c,
                    "PRAGMA busy_timeout"))));
            assertEquals("2", Await.result(store.onWriter(c -> query(c, "PRAGMA temp_store"))),
                    "in memory");
            assertEquals("4000", Await.result(store.onWriter(c -> query(c,
                    "PRAGMA wal_autocheckpoint"))));
        }
        String before = System.getProperty(SqliteStore.SYNC_PROPERTY);
        try {
            System.setProperty(SqliteStore.SYNC_PROPERTY, "full");
            assertEquals(SqliteStore.Sync.FULL, SqliteStore.Sync.fromSystemProperty());
            System.setProperty(SqliteStore.SYNC_PROPERTY, "Normal");
            assertEquals(SqliteStore.Sync.NORMAL, SqliteStore.Sync.fromSystemProperty());
            System.setProperty(SqliteStore.SYNC_PROPERTY, "off");
            assertThrows(IllegalArgumentException.class, SqliteStore.Sync::fromSystemProperty);
            System.clearProperty(SqliteStore.SYNC_PROPERTY);
            assertEquals(SqliteStore.Sync.NORMAL, SqliteStore.Sync.fromSystemProperty());
        } finally {
            if (before == null) {
                System.clearProperty(SqliteStore.SYNC_PROPERTY);
            } else {
                System.setProperty(SqliteStore.SYNC_PROPERTY, before);
            }
        }
    }

    // ------------------------------------------------------------------------- schema versions

    /**
     * Creates version 1's tables exactly as it shipped, written by hand: not from
     * {@link Schema#MIGRATIONS}, so that a change to a released migration fails these tests.
     */
    private static void createVersion1(Statement s) throws SQLException {
        s.execute("CREATE TABLE history (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL"
                + " UNIQUE, id_key BLOB NOT NULL, conv_kind TEXT NOT NULL, conv_id TEXT NOT"
                + " NULL, conv_name TEXT NOT NULL, outgoing INTEGER NOT NULL, sender TEXT NOT"
                + " NULL, sender_key BLOB NOT NULL, text TEXT NOT NULL, sent_s INTEGER NOT"
                + " NULL, sent_n INTEGER NOT NULL, received_s INTEGER, received_n INTEGER,"
                + " state TEXT NOT NULL)");
        s.execute("CREATE INDEX history_page ON history (conv_kind, conv_id, sent_s, sent_n,"
                + " id_key)");
        s.execute("CREATE TABLE outbox (peer BLOB NOT NULL, seq INTEGER NOT NULL, kind INTEGER"
                + " NOT NULL, body BLOB NOT NULL, deadline_s INTEGER NOT NULL, deadline_n"
                + " INTEGER NOT NULL, message_id TEXT, PRIMARY KEY (peer, seq)) WITHOUT ROWID");
        s.execute("CREATE TABLE received (peer BLOB PRIMARY KEY, epoch INTEGER NOT NULL,"
                + " delivered_up_to INTEGER NOT NULL) WITHOUT ROWID");
        s.execute("CREATE TABLE named_values (name TEXT PRIMARY KEY, value BLOB NOT NULL)"
                + " WITHOUT ROWID");
    }

    /** Adds version 2's tables to a version 1 database, exactly as version 2 shipped. */
    private static void addVersion2(Statement s) throws SQLException {
        s.execute("CREATE TABLE room_positions (room_id TEXT NOT NULL, origin BLOB NOT NULL,"
                + " incarnation INTEGER NOT NULL, next INTEGER NOT NULL,"
                + " PRIMARY KEY (room_id, origin)) WITHOUT ROWID");
        s.execute("CREATE VIRTUAL TABLE history_fts USING fts5 (body,"
                + " tokenize = 'trigram case_sensitive 1', content = '',"
                + " contentless_delete = 1)");
    }

    private static void setVersion(Statement s, int version) throws SQLException {
        s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
        s.execute("PRAGMA user_version = " + version);
    }

    /** Inserts an outbox row of versions 1 and 2 (no epoch), to a peer of key bytes all b. */
    private static void oldOutboxRow(Statement s, int b, long seq) throws SQLException {
        String key = String.format(java.util.Locale.ROOT, "%02x", b).repeat(32);
        s.execute(String.format(java.util.Locale.ROOT, "INSERT INTO outbox VALUES (x'%s', %d, 1,"
                + " x'%02x', 5, 0, 'old%d')", key, seq, seq, seq));
    }

    /** The outbox entry {@link #oldOutboxRow} becomes. */
    private static OutboxRecord migrated(int b, long seq) {
        byte[] key = new byte[PeerKey.BYTES];
        java.util.Arrays.fill(key, (byte) b);
        return new OutboxRecord(PeerKey.of(key), 0, seq, (byte) 1, new byte[] {(byte) seq},
                Instant.ofEpochSecond(5), "old" + seq);
    }

    private static void assertAtLatestVersionAndIntact(Connection c) throws SQLException {
        assertEquals(Integer.toString(Schema.LATEST), query(c, "PRAGMA user_version"));
        assertEquals("ok", query(c, "PRAGMA integrity_check"));
    }

    @Test
    void aVersion1DatabaseIsMigratedAndItsHistoryIndexedForSearch() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            createVersion1(s);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO history (message_id,"
                    + " id_key, conv_kind, conv_id, conv_name, outgoing, sender, sender_key, text,"
                    + " sent_s, sent_n, received_s, received_n, state) VALUES (?, ?, 'ROOM',"
                    + " 'room', 'room', 0, 'bob', ?, ?, ?, 0, NULL, NULL, 'RECEIVED')")) {
                for (int i = 0; i < 30; i++) {
                    p.setString(1, "old" + i);
                    p.setBytes(2, ("old" + i).getBytes(StandardCharsets.UTF_16BE));
                    p.setBytes(3, KEY.bytes());
                    p.setString(4, (i % 3 == 0 ? "Fizz " : "") + "Old message " + i);
                    p.setLong(5, T.getEpochSecond() + i);
                    p.executeUpdate();
                }
            }
            oldOutboxRow(s, 0, 7);
            s.execute("INSERT INTO received VALUES (x'" + "00".repeat(32) + "', 12, 3)");
            setVersion(s, 1);
        }
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            assertEquals(10, store.search("FIZZ old", 100).size(), "the old history is indexed");
            assertEquals("old27", store.search("fizz", 1).get(0).messageId());
            assertEquals(30, store.history(ROOM, HistoryQuery.latest(100)).size());
            assertEquals(List.of(ROOM), store.conversations(10));
            assertEquals(List.of(migrated(0, 7)), store.outbox(), "an old entry has epoch 0");
            assertEquals(List.of(new ReceiveRecord(KEY, 12, 3)), store.received());
            Await.result(store.write(new StoreWrite()
                    .roomPosition(new RoomPosition("room", KEY, 1, 2))
                    .history(record("new", "a new message"))));
            assertEquals(List.of(new RoomPosition("room", KEY, 1, 2)), store.roomPositions());
            assertEquals(1, store.search("new message", 10).size());
        }
        try (Connection c = raw()) {
            assertAtLatestVersionAndIntact(c);
        }
    }

    @Test
    void aVersion2DatabaseIsMigratedKeepingItsOutboxInOrderAndItsReceiveRecords()
            throws Exception {
        PeerKey a = migrated(0, 1).peer();
        PeerKey b = migrated(1, 1).peer();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            createVersion1(s);
            addVersion2(s);
            s.execute("INSERT INTO history (message_id, id_key, conv_kind, conv_id, conv_name,"
                    + " outgoing, sender, sender_key, text, sent_s, sent_n, state) VALUES ('h1',"
                    + " x'00680031', 'ROOM', 'room', 'room', 0, 'bob', x'" + "00".repeat(32)
                    + "', 'Kept Text', 9, 0, 'RECEIVED')");
            s.execute("INSERT INTO history_fts (rowid, body) VALUES (1, 'kept text')");
            // Written out of order: version 2 listed them by peer, then number.
            oldOutboxRow(s, 1, 1);
            oldOutboxRow(s, 0, 3);
            oldOutboxRow(s, 0, 1);
            oldOutboxRow(s, 0, 2);
            s.execute("INSERT INTO received VALUES (x'" + "00".repeat(32) + "', 77, 5),"
                    + " (x'" + "01".repeat(32) + "', -1, 9)");
            s.execute("INSERT INTO room_positions VALUES ('room', x'" + "01".repeat(32)
                    + "', 4, 8)");
            setVersion(s, 2);
        }
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            assertEquals(List.of(migrated(0, 1), migrated(0, 2), migrated(0, 3), migrated(1, 1)),
                    store.outbox(), "each peer's entries in their old order, with epoch 0");
            assertEquals(java.util.Set.of(new ReceiveRecord(a, 77, 5),
                    new ReceiveRecord(b, -1, 9)), new java.util.HashSet<>(store.received()));
            assertEquals(List.of(new RoomPosition("room", b, 4, 8)), store.roomPositions());
            assertEquals(List.of("h1"), store.search("KEPT", 10).stream()
                    .map(HistoryRecord::messageId).toList());
            OutboxRecord next = new OutboxRecord(a, 99, 1, (byte) 1, new byte[1], T, null);
            Await.result(store.write(new StoreWrite().acknowledged(a, 0, 2).outbox(next)
                    .received(new ReceiveRecord(a, 78, 1)).forgetReceived(a, 77)));
            assertEquals(List.of(migrated(0, 3), next, migrated(1, 1)), store.outbox(),
                    "a new entry after the migrated ones, whatever its epoch");
            assertEquals(java.util.Set.of(new ReceiveRecord(a, 78, 1),
                    new ReceiveRecord(b, -1, 9)), new java.util.HashSet<>(store.received()));
        }
        try (Connection c = raw()) {
            assertAtLatestVersionAndIntact(c);
            assertEquals("outbox_key", query(c, "SELECT name FROM sqlite_schema WHERE"
                    + " type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_%'"));
            assertNull(query(c, "SELECT name FROM sqlite_schema WHERE name LIKE '%_v3'"),
                    "no table left under its rebuilding name");
        }
    }

    /** Takes a version 2 database to version 3's outbox and receive records, as it shipped. */
    private static void addVersion3(Statement s) throws SQLException {
        s.execute("DROP TABLE outbox");
        s.execute("CREATE TABLE outbox (added INTEGER PRIMARY KEY, peer BLOB NOT NULL, epoch"
                + " INTEGER NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL, body BLOB NOT"
                + " NULL, deadline_s INTEGER NOT NULL, deadline_n INTEGER NOT NULL, message_id"
                + " TEXT)");
        s.execute("CREATE UNIQUE INDEX outbox_key ON outbox (peer, epoch, seq)");
        s.execute("DROP TABLE received");
        s.execute("CREATE TABLE received (peer BLOB NOT NULL, epoch INTEGER NOT NULL,"
                + " delivered_up_to INTEGER NOT NULL, PRIMARY KEY (peer, epoch)) WITHOUT ROWID");
    }

    @Test
    void aVersion3DatabaseIsMigratedKeepingItsHistoryPagedSearchableAndUpdatable()
            throws Exception {
        // Ids whose UTF-16 order differs from their UTF-8 order: a supplementary character
        // (a surrogate pair, below U+E000 in UTF-16) and U+FFFD.
        List<String> ids = List.of("d:\uD83D\uDE00", "d:\uFFFD", "d:a", "d:\u00e9", "d:\u0000");
        try (Connection c = raw(); Statement s = c.createStatement()) {
            createVersion1(s);
            addVersion2(s);
            addVersion3(s);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO history (message_id,"
                    + " id_key, conv_kind, conv_id, conv_name, outgoing, sender, sender_key, text,"
                    + " sent_s, sent_n, received_s, received_n, state) VALUES (?, ?, 'ROOM',"
                    + " 'room', 'room', 1, 'me', ?, ?, ?, 0, NULL, NULL, 'PENDING')")) {
                for (String id : ids) {
                    p.setString(1, id);
                    p.setBytes(2, id.getBytes(StandardCharsets.UTF_16BE));
                    p.setBytes(3, KEY.bytes());
                    p.setString(4, "Version Three " + id);
                    p.setLong(5, T.getEpochSecond());
                    p.executeUpdate();
                }
            }
            s.execute("INSERT INTO history_fts (rowid, body) SELECT seq, lower(text)"
                    + " FROM history");
            s.execute("INSERT INTO outbox (peer, epoch, seq, kind, body, deadline_s, deadline_n,"
                    + " message_id) VALUES (x'" + "00".repeat(32) + "', 5, 1, 1, x'01', 9, 0,"
                    + " 'd:a')");
            setVersion(s, 3);
        }
        List<String> sorted = ids.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            assertEquals(sorted, store.history(ROOM, HistoryQuery.latest(10)).stream()
                    .map(HistoryRecord::messageId).toList(), "newest first, ids in String order");
            HistoryRecord second = store.history(ROOM, HistoryQuery.latest(2)).get(1);
            assertEquals(sorted.subList(2, sorted.size()), store.history(ROOM,
                    HistoryQuery.before(second, 10)).stream().map(HistoryRecord::messageId)
                    .toList(), "paging goes on after a migrated id");
            assertEquals(ids.size(), store.search("version three", 10).size());
            assertEquals(List.of(sorted.get(0)), store.search(sorted.get(0), 10).stream()
                    .map(HistoryRecord::messageId).toList());
            assertEquals(List.of(ROOM), store.conversations(10));
            assertEquals(1, store.outbox().size());
            Await.result(store.write(new StoreWrite().state("d:\u00e9", DeliveryState.DELIVERED)
                    .history(new HistoryRecord("d:a", ROOM, true, "me", KEY, "replaced text", T,
                            null, DeliveryState.FAILED))));
            assertEquals(DeliveryState.DELIVERED, store.history(ROOM, HistoryQuery.latest(10))
                    .stream().filter(r -> r.messageId().equals("d:\u00e9")).findFirst()
                    .orElseThrow().state());
            assertEquals(List.of("d:a"), store.search("replaced", 10).stream()
                    .map(HistoryRecord::messageId).toList(), "a replaced record is found anew");
            assertEquals(ids.size() - 1, store.search("version three", 10).size(),
                    "and not by its old text");
        }
        try (Connection c = raw()) {
            assertAtLatestVersionAndIntact(c);
            assertNull(query(c, "SELECT name FROM pragma_table_info('history')"
                    + " WHERE name = 'message_id'"), "the id is its key");
            assertEquals(query(c, "SELECT max(seq) FROM history"),
                    query(c, "SELECT indexed_up_to FROM search_progress"),
                    "the migrated history is indexed");
            assertEquals(Integer.toString(ids.size() - 1), query(c, "SELECT count(*) FROM"
                    + " history_fts WHERE history_fts MATCH '\"thr\"'"),
                    "the replaced record's old text left the index");
            assertEquals("1", query(c, "SELECT count(*) FROM history_fts"
                    + " WHERE history_fts MATCH '\"rep\"'"));
        }
    }

    // ------------------------------------------------------------------------- search index

    @Test
    void searchFindsCommittedRecordsTheIndexHasNotReached() throws Exception {
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL)) {
            for (int i = 0; i < 5; i++) {
                Await.result(store.write(new StoreWrite().history(record("r" + i,
                        "Behind the index " + i))));
            }
            // As after a crash before the writer indexed them (this writer does not know).
            try (Connection c = raw(); Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("INSERT INTO history_fts (history_fts) VALUES ('delete-all')");
                s.execute("UPDATE search_progress SET indexed_up_to = 0");
                s.execute("COMMIT");
            }
            assertEquals(List.of("r4", "r3", "r2", "r1", "r0"), store.search("behind index", 10)
                    .stream().map(HistoryRecord::messageId).toList());
            assertEquals(List.of("r3"), store.search("index 3", 10).stream()
                    .map(HistoryRecord::messageId).toList());
            // Replaced above the progress: left to the writer, found by its new text meanwhile.
            Await.result(store.write(new StoreWrite().history(record("r2", "Rewritten"))));
            assertSearchFindsR2ByItsNewText(store);
        }
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL);
                Connection c = raw()) {
            Await.until("the index to catch up after opening", () -> {
                try {
                    return "5".equals(query(c, "SELECT indexed_up_to FROM search_progress"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("4", query(c, "SELECT count(*) FROM history_fts"
                    + " WHERE history_fts MATCH '\"beh\"'"));
            assertEquals("1", query(c, "SELECT count(*) FROM history_fts"
                    + " WHERE history_fts MATCH '\"rew\"'"));
            assertSearchFindsR2ByItsNewText(store);
        }
    }

    private static void assertSearchFindsR2ByItsNewText(MessageStore store) {
        assertEquals(List.of("r2"), store.search("rewritten", 10).stream()
                .map(HistoryRecord::messageId).toList());
        assertEquals(List.of("r4", "r3", "r1", "r0"), store.search("behind index", 10).stream()
                .map(HistoryRecord::messageId).toList());
    }

    @Test
    void theWriterFillsTheSearchIndexBehindTheWritesWhenIdle() throws Exception {
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL)) {
            int n = 3 * SearchIndex.CHUNK + 5;
            StoreWrite w = new StoreWrite();
            for (int i = 0; i < n - 1; i++) {
                w.history(record("i" + i, "indexed later " + i));
            }
            // Not ASCII: lower-cased by Java's Locale.ROOT, as the search's words are.
            w.history(record("accents", "indexed later \u00c9COLE \u0130"));
            Await.result(store.write(w));
            try (Connection c = raw()) {
                Await.until("the index to catch up", () -> {
                    try {
                        return Integer.toString(n).equals(query(c,
                                "SELECT indexed_up_to FROM search_progress"));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertEquals(Integer.toString(n), query(c, "SELECT count(*) FROM history_fts"
                        + " WHERE history_fts MATCH '\"ter\"'"));
            }
            assertEquals(n, store.search("indexed later", n + 1).size());
            assertEquals(List.of("accents"), store.search("\u00e9cole \u0130", 10).stream()
                    .map(HistoryRecord::messageId).toList());
        }
    }

    @Test
    void searchAsksTheIndexAndReadsOnlyTheRecordsAboveItsProgress() throws Exception {
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            Await.result(store.write(new StoreWrite().history(record("1", "x"))));
        }
        List<String> plan = new java.util.ArrayList<>();
        try (Connection c = raw(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("EXPLAIN QUERY PLAN SELECT * FROM history WHERE "
                        + SearchIndex.SEARCH.replace("?", "'\"abc\"'"))) {
            while (r.next()) {
                plan.add(r.getString("detail"));
            }
        }
        assertTrue(plan.stream().noneMatch(d -> d.matches("SCAN history\\b.*")),
                "no scan of the history: " + plan);
        assertTrue(plan.stream().anyMatch(d -> d.contains("rowid>?")),
                "the tail is a range of rowids: " + plan);
    }

    @Test
    void aWordAsksTheIndexForEachOfItsTrigramsAndChecksTheText() {
        SearchIndex.Query q = SearchIndex.query("  Hello x \"q\"uo ");
        assertEquals(List.of("hello", "x", "\"q\"uo"), q.words());
        assertEquals("\"hel\" AND \"ell\" AND \"llo\" AND \"\"\"q\"\"\" AND \"q\"\"u\""
                + " AND \"\"\"uo\"", q.match());
        assertTrue(q.matches("Say HELLO, \"q\"uoted x"));
        assertFalse(q.matches("hel llo x \"q\"uo"), "the trigrams, but not the word");
        assertNull(SearchIndex.query("ab c").match(), "no word long enough for the index");
    }

    @Test
    void conversationsWalkTheHistoryIndexWithoutScanningTheHistory() throws Exception {
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            Await.result(store.write(new StoreWrite().history(record("1", "x"))));
        }
        List<String> plan = new java.util.ArrayList<>();
        try (Connection c = raw(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("EXPLAIN QUERY PLAN " + HistoryReads.CONVERSATIONS)) {
            while (r.next()) {
                plan.add(r.getString("detail"));
            }
        }
        assertTrue(plan.stream().noneMatch(d -> d.matches("SCAN (history|h|l)\\b.*")),
                "no scan of the history, not even of an index: " + plan);
        assertTrue(plan.contains(
                "SEARCH history USING COVERING INDEX history_page (conv_kind=? AND conv_id>?)"),
                "the next conversation is one seek: " + plan);
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedAndLeftAlone() throws Exception {
        int newer = Schema.LATEST + 1;
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE future (x)");
            setVersion(s, newer);
        }
        StoreException e = assertThrows(StoreException.class,
                () -> new SqliteStoreProvider().open(directory));
        assertTrue(e.getMessage().contains(file().toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("version " + newer), e.getMessage());
        assertTrue(e.getMessage().contains("version " + Schema.LATEST), e.getMessage());
        try (Connection c = raw()) {
            assertEquals(Integer.toString(newer), query(c, "PRAGMA user_version"),
                    "left as it was");
        }
    }

    @Test
    void aDatabaseOfAnotherApplicationOrAFileThatIsNoDatabaseIsRefused() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("PRAGMA application_id = 42");
            s.execute("CREATE TABLE theirs (x)");
        }
        StoreException e = assertThrows(StoreException.class,
                () -> new SqliteStoreProvider().open(directory));
        assertTrue(e.getMessage().contains("not a p2pchat store"), e.getMessage());
        Files.delete(file());
        Files.writeString(file(), "this is not a database, but it is long enough to have a"
                + " header that SQLite reads and rejects as such".repeat(20));
        StoreException garbage = assertThrows(StoreException.class,
                () -> new SqliteStoreProvider().open(directory));
        assertTrue(garbage.getMessage().contains(file().toAbsolutePath().toString()),
                garbage.getMessage());
    }

    // ----------------------------------------------------------------------- batches, failures

    /**
     * Holds the database's write lock from another connection while a first write starts its
     * transaction, queues {@code writes} behind it, then lets go: the writes share one batch.
     */
    private List<CompletionStage<Void>> inOneBatch(SqliteStore store, List<StoreWrite> writes)
            throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            long before = store.batchesBegun();
            CompletionStage<Void> first = store.write(new StoreWrite().value("first", new byte[1]));
            Await.until("the writer to wait for the lock", () -> store.batchesBegun() > before);
            List<CompletionStage<Void>> stages = new java.util.ArrayList<>();
            for (StoreWrite w : writes) {
                stages.add(store.write(w));
            }
            s.execute("COMMIT");
            Await.result(first);
            return stages;
        }
    }

    @Test
    void aWriteThatFailsInABatchFailsAloneAndLeavesNothingOfItself() throws Exception {
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL)) {
            try (Connection c = raw(); Statement s = c.createStatement()) {
                s.execute("CREATE TRIGGER poison BEFORE INSERT ON history"
                        + " WHEN NEW.id_key = CAST('poison' AS BLOB)"
                        + " BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
            }
            long before = store.batchesBegun();
            List<CompletionStage<Void>> stages = inOneBatch(store, List.of(
                    new StoreWrite().history(record("good1", "one")).value("a", new byte[] {1}),
                    new StoreWrite().value("b", new byte[] {1})
                            .outbox(new OutboxRecord(KEY, 0, 1, (byte) 1, new byte[1], T, null))
                            .history(record("poison", "bad")),
                    new StoreWrite().history(record("good2", "two")).value("c", new byte[] {1})));
            Await.result(stages.get(0));
            Throwable failure = Await.failure(stages.get(1));
            Await.result(stages.get(2));
            // The one that held the writer, the three together, then each of them on its own.
            assertEquals(before + 2 + 3, store.batchesBegun(),
                    "the three writes shared one batch, then were tried one by one");
            assertInstanceOf(StoreException.class, failure);
            assertTrue(failure.getMessage().contains("poisoned"), failure.getMessage());
            assertTrue(failure.getMessage().contains(file().toAbsolutePath().toString()),
                    failure.getMessage());
            assertEquals(List.of("good2", "good1"), store.history(ROOM, HistoryQuery.latest(10))
                    .stream().map(HistoryRecord::messageId).toList());
            assertTrue(store.value("a").isPresent() && store.value("c").isPresent());
            assertFalse(store.value("b").isPresent(), "nothing of the failed write");
            assertTrue(store.outbox().isEmpty(), "nothing of the failed write");
            Await.result(store.write(new StoreWrite().value("after", new byte[1])));
        }
    }

    @Test
    void aFullDiskFailsTheWriteThatDidNotFitAndNotTheRestOfItsBatch() throws Exception {
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL)) {
            Await.result(store.write(new StoreWrite().history(record("warm", "warm"))));
            Await.result(store.onWriter(c -> {
                try (Statement s = c.createStatement()) {
                    long pages = Long.parseLong(query(c, "PRAGMA page_count"));
                    s.execute("PRAGMA max_page_count = " + (pages + 40));
                }
                return null;
            }));
            String big = "too big for the disk ".repeat(100_000);
            List<CompletionStage<Void>> stages = inOneBatch(store, List.of(
                    new StoreWrite().history(record("small1", "small one")),
                    new StoreWrite().history(record("big", big)).value("big", new byte[1]),
                    new StoreWrite().history(record("small2", "small two"))));
            Await.result(stages.get(0));
            Throwable failure = Await.failure(stages.get(1));
            Await.result(stages.get(2));
            assertInstanceOf(StoreException.class, failure);
            assertTrue(failure.getMessage().contains("full"), failure.getMessage());
            assertEquals(java.util.Set.of("small2", "small1", "warm"), store.history(ROOM,
                    HistoryQuery.latest(10)).stream().map(HistoryRecord::messageId)
                    .collect(java.util.stream.Collectors.toSet()));
            assertTrue(store.value("big").isEmpty());
            Await.result(store.onWriter(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA max_page_count = 1073741823");
                }
                return null;
            }));
            Await.result(store.write(new StoreWrite().history(record("big", big))));
            assertEquals(1, store.search("too big for the disk", 10).size());
        }
        try (Connection c = raw()) {
            assertEquals("ok", query(c, "PRAGMA integrity_check"));
        }
    }

    @Test
    void readsSeeTheLastCommitWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        try (SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL)) {
            Await.result(store.write(new StoreWrite().history(record("1", "committed"))));
            try (Connection c = raw(); Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("DELETE FROM history");
                assertEquals(1, store.history(ROOM, HistoryQuery.latest(10)).size());
                assertEquals(1, store.search("committed", 10).size());
                s.execute("ROLLBACK");
            }
        }
    }

    @Test
    void closingFromAStageCallbackOnTheWriterThreadDoesNotDeadlock() {
        SqliteStore store = SqliteStore.open(directory, SqliteStore.Sync.NORMAL);
        CompletionStage<Void> closed = store.write(new StoreWrite().value("x", new byte[1]))
                .thenRun(store::close);
        Await.result(closed);
        Await.failure(store.write(new StoreWrite()));
        store.close();
        assertThrows(StoreException.class, () -> store.value("x"), "reads after close fail");
        try (MessageStore again = new SqliteStoreProvider().open(directory)) {
            assertTrue(again.value("x").isPresent());
        }
    }
}
