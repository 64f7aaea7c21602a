package org.p2pchat.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

    @Test
    void aVersion1DatabaseIsMigratedAndItsHistoryIndexedForSearch() throws Exception {
        // Version 1 exactly as it shipped, written by hand.
        try (Connection c = raw(); Statement s = c.createStatement()) {
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
            s.execute("INSERT INTO outbox VALUES (x'" + "00".repeat(32) + "', 7, 1, x'0102', 5, 0,"
                    + " 'old1')");
            s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
            s.execute("PRAGMA user_version = 1");
        }
        try (MessageStore store = new SqliteStoreProvider().open(directory)) {
            assertEquals(10, store.search("FIZZ old", 100).size(), "the old history is indexed");
            assertEquals("old27", store.search("fizz", 1).get(0).messageId());
            assertEquals(30, store.history(ROOM, HistoryQuery.latest(100)).size());
            assertEquals(List.of(new OutboxRecord(KEY, 7, (byte) 1, new byte[] {1, 2},
                    Instant.ofEpochSecond(5), "old1")), store.outbox());
            Await.result(store.write(new StoreWrite()
                    .roomPosition(new RoomPosition("room", KEY, 1, 2))
                    .history(record("new", "a new message"))));
            assertEquals(List.of(new RoomPosition("room", KEY, 1, 2)), store.roomPositions());
            assertEquals(1, store.search("new message", 10).size());
        }
        try (Connection c = raw()) {
            assertEquals("2", query(c, "PRAGMA user_version"));
            assertEquals("ok", query(c, "PRAGMA integrity_check"));
        }
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedAndLeftAlone() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE future (x)");
            s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
            s.execute("PRAGMA user_version = 3");
        }
        StoreException e = assertThrows(StoreException.class,
                () -> new SqliteStoreProvider().open(directory));
        assertTrue(e.getMessage().contains(file().toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("version 3"), e.getMessage());
        assertTrue(e.getMessage().contains("version " + Schema.LATEST), e.getMessage());
        try (Connection c = raw()) {
            assertEquals("3", query(c, "PRAGMA user_version"), "left as it was");
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
                        + " WHEN NEW.message_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned');"
                        + " END");
            }
            long before = store.batchesBegun();
            List<CompletionStage<Void>> stages = inOneBatch(store, List.of(
                    new StoreWrite().history(record("good1", "one")).value("a", new byte[] {1}),
                    new StoreWrite().value("b", new byte[] {1})
                            .outbox(new OutboxRecord(KEY, 1, (byte) 1, new byte[1], T, null))
                            .history(record("poison", "bad")),
                    new StoreWrite().history(record("good2", "two")).value("c", new byte[] {1})));
            Await.result(stages.get(0));
            Throwable failure = Await.failure(stages.get(1));
            Await.result(stages.get(2));
            assertEquals(before + 2, store.batchesBegun(), "the three writes shared one batch");
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
