package org.p2pchat.store.sqlite.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/**
 * A {@link MessageStore} in one SQLite database, {@value #FILE_NAME} in the peer's directory.
 *
 * <p><b>Writes.</b> {@link #write} queues the write and returns. One daemon thread per store,
 * named for the file, takes every write queued (up to {@value #MAX_BATCH}), applies them in one
 * transaction, commits, and then completes their stages in call order: a group commit, so
 * writes arriving while the disk is busy share the next commit. If one write of a batch fails (a
 * constraint, a full disk, an I/O error), nothing of the batch is committed and its writes are
 * tried again one transaction each, so that each stage reports its own write's fate: the one
 * that failed fails with a {@link StoreException}, the others commit. (Optimistic: a savepoint
 * around every write would cost two more statements per message, for a failure that is rare.)
 *
 * <p><b>Durability.</b> The database is in WAL mode. With {@link Sync#NORMAL} (the default) a
 * committed write survives a crash of the process, but a power loss or an operating-system crash
 * may lose the last transactions committed before it (never corrupting the database); with
 * {@link Sync#FULL} ({@code -Dp2pchat.storeSync=full}) every commit is flushed to the disk before
 * its stages complete, so it survives a power loss too, at the cost of one {@code fsync} per
 * group commit. Besides {@code history.db}, SQLite keeps {@code history.db-wal} and
 * {@code history.db-shm} beside it while the store is open: copy all three, or none.
 *
 * <p><b>Reads</b> run on the caller's thread, each on a read connection of its own taken from a
 * small pool (opened as needed, kept for reuse), so they never wait for the writer: WAL lets
 * readers see the last commit while the writer writes the next. A read sees every write whose
 * stage has completed.
 *
 * <p><b>Threading.</b> Thread-safe. Stages complete on the writer thread: keep dependent
 * actions short. {@link #close} applies the writes queued, then stops the writer and closes the
 * connections; called from a stage's dependent action (on the writer thread) it returns at once
 * and the writer closes everything once its batch is done.
 */
public final class SqliteStore implements MessageStore {
    /** The database's file name in the peer's directory. */
    public static final String FILE_NAME = "history.db";
    /** The system property that chooses the {@link Sync} mode: {@code normal} or {@code full}. */
    public static final String SYNC_PROPERTY = "p2pchat.storeSync";
    /** The most writes one transaction applies. */
    static final int MAX_BATCH = 1024;
    /** How long a connection waits for a lock that another connection holds, in milliseconds. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final String RECORD_COLUMNS = "message_id, conv_kind, conv_id, conv_name,"
            + " outgoing, sender, sender_key, text, sent_s, sent_n, received_s, received_n, state";
    private static final String NEWEST_FIRST = " ORDER BY sent_s DESC, sent_n DESC, id_key DESC";
    /**
     * Every conversation's latest record, newest first. SQLite has no skip-scan without
     * statistics, so the recursive part steps through the history_page index by hand: for each
     * kind, the smallest id, then the smallest id above the last, each a min() the index answers
     * with one seek. (A row-value comparison on (kind, id) would seek on the kind only.)
     */
    static final String CONVERSATIONS = "WITH RECURSIVE kinds (kind) AS (VALUES "
            + String.join(", ", Collections.nCopies(Conversation.Kind.values().length,
                    "(?)"))
            + "), convs (kind, id) AS ("
            + " SELECT kind, (SELECT min(conv_id) FROM history WHERE conv_kind = kinds.kind)"
            + " FROM kinds"
            + " UNION ALL"
            + " SELECT kind, (SELECT min(conv_id) FROM history WHERE conv_kind = convs.kind"
            + " AND conv_id > convs.id) FROM convs WHERE id IS NOT NULL)"
            + " SELECT h.conv_kind, h.conv_id, h.conv_name FROM convs JOIN history h ON h.seq ="
            + " (SELECT seq FROM history l WHERE l.conv_kind = convs.kind AND l.conv_id = convs.id"
            + " ORDER BY l.sent_s DESC, l.sent_n DESC, l.id_key DESC LIMIT 1)"
            + " ORDER BY h.sent_s DESC, h.sent_n DESC, h.id_key DESC LIMIT ?";

    /** How hard a commit presses its data to the disk: SQLite's {@code PRAGMA synchronous}. */
    public enum Sync {
        /** Commits survive a process crash; a power loss may lose the last ones. The default. */
        NORMAL,
        /** Commits survive a power loss too: one {@code fsync} per group commit. */
        FULL;

        /**
         * Reads the mode from {@value SqliteStore#SYNC_PROPERTY}, {@link #NORMAL} if unset.
         *
         * @return the mode
         * @throws IllegalArgumentException if the property names no mode
         */
        public static Sync fromSystemProperty() {
            String v = System.getProperty(SYNC_PROPERTY);
            if (v == null || v.isBlank()) {
                return NORMAL;
            }
            try {
                return valueOf(v.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected " + SYNC_PROPERTY
                        + " to be normal or full, got '" + v + "'", e);
            }
        }
    }

    /** Work for the writer thread on its connection, outside any transaction: for tests. */
    @FunctionalInterface
    interface WriterTask {
        /**
         * Runs the task.
         *
         * @param writer the writer connection, in autocommit mode
         * @return a result for the caller
         * @throws SQLException if it fails
         */
        String run(Connection writer) throws SQLException;
    }

    /** A queued write and its stage, or a writer task and its result. */
    private record Pending(StoreWrite write, CompletableFuture<Void> done, WriterTask task,
            CompletableFuture<String> result) {
        Pending(StoreWrite write, CompletableFuture<Void> done) {
            this(write, done, null, null);
        }
    }

    /** Queued after the last write by {@link #close}. */
    private static final Pending CLOSE = new Pending(null, null);

    private final Path file;
    private final Sync sync;
    private final Connection writer;
    /** Prepared again after a failure: the driver may have closed a statement that failed. */
    private Statements statements;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedDeque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
    private final Object closeLock = new Object();
    private final Thread writerThread;
    private final AtomicLong batchesBegun = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean released;

    private SqliteStore(Path file, Sync sync) throws SQLException {
        this.file = file;
        this.sync = sync;
        this.writer = connect(file, sync, false);
        boolean ok = false;
        try {
            Schema.migrate(writer, file);
            this.statements = new Statements(writer);
            ok = true;
        } finally {
            if (!ok) {
                writer.close();
            }
        }
        writerThread = new Thread(this::runWriter, "p2pchat-store " + file);
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /**
     * Opens (creating if need be, migrating if it is older) the store of a directory.
     *
     * @param directory the peer's directory, created if missing
     * @param sync how hard commits press to the disk
     * @return the store, its writer thread started
     * @throws StoreException if the directory or database cannot be opened, or the database is
     *     newer than this code or not a p2pchat store
     */
    public static SqliteStore open(Path directory, Sync sync) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(sync, "sync");
        Path file = directory.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create the store directory " + directory + ": " + e
                    + "; check its permissions", e);
        }
        try {
            return new SqliteStore(file, sync);
        } catch (SQLException e) {
            throw new StoreException("cannot open the store " + file + ": " + e.getMessage()
                    + "; check the file and its directory (a file that is not a database must"
                    + " be moved away)", e);
        }
    }

    /** The database file. */
    Path file() {
        return file;
    }

    /** The sync mode. */
    Sync sync() {
        return sync;
    }

    /** How many transactions the writer has begun: for tests of the batching. */
    long batchesBegun() {
        return batchesBegun.get();
    }

    private static Connection connect(Path file, Sync sync, boolean reader) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // No statement here reads generated keys; looking for them costs a regex per update.
        config.setGetGeneratedKeys(false);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(sync == Sync.FULL ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try {
            try (Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
                    String mode = r.next() ? r.getString(1) : "";
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new SQLException("expected journal_mode wal, got " + mode
                                + " (WAL needs a local file system with shared memory)");
                    }
                }
                if (reader) {
                    s.execute("PRAGMA query_only = 1");
                }
            }
            Function.create(c, "lower_root", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    String t = value_text(0);
                    result(t == null ? null : t.toLowerCase(Locale.ROOT));
                }
            }, 1, Function.FLAG_DETERMINISTIC);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------- writes

    @Override
    public CompletionStage<Void> write(StoreWrite write) {
        Objects.requireNonNull(write, "write");
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (closeLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            queue.add(new Pending(write, done));
        }
        return done;
    }

    /**
     * Runs a task on the writer thread, after the writes queued before it: for tests that need
     * the writer's connection (its pragmas, a simulated full disk).
     *
     * @param task the task
     * @return its result
     */
    CompletionStage<String> onWriter(WriterTask task) {
        CompletableFuture<String> result = new CompletableFuture<>();
        synchronized (closeLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            queue.add(new Pending(null, null, task, result));
        }
        return result;
    }

    private StoreException closedException() {
        return new StoreException("the store " + file + " is closed");
    }

    private void runWriter() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but a JVM going down; keep draining.
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (batch.get(batch.size() - 1) == CLOSE) {
                batch.remove(batch.size() - 1);
                stopping = true;
            }
            int from = 0;
            for (int i = 0; i <= batch.size(); i++) {
                if (i == batch.size() || batch.get(i).task != null) {
                    commitSafely(batch.subList(from, i));
                    if (i < batch.size()) {
                        runTask(batch.get(i));
                    }
                    from = i + 1;
                }
            }
            batch.clear();
        }
        release();
    }

    private void commitSafely(List<Pending> writes) {
        if (writes.isEmpty()) {
            return;
        }
        try {
            commit(writes);
        } catch (RuntimeException | Error e) {
            LOG.error("store {}: a batch of {} writes failed unexpectedly", file, writes.size(), e);
            StoreException failure = new StoreException("the store " + file
                    + " failed to write: " + e, e);
            for (Pending p : writes) {
                p.done.completeExceptionally(failure);
            }
        }
    }

    private void runTask(Pending p) {
        try {
            p.result.complete(p.task.run(writer));
        } catch (SQLException | RuntimeException e) {
            p.result.completeExceptionally(e);
        }
    }

    /** Writer thread: applies a batch, in one transaction if it can, and completes its stages. */
    private void commit(List<Pending> batch) {
        batchesBegun.incrementAndGet();
        try {
            statements.begin.execute();
            for (int i = 0; i < batch.size(); i++) {
                try {
                    apply(batch.get(i).write);
                } catch (RuntimeException e) {
                    // A write SQLite cannot take as given (a value out of range, say).
                    throw new SQLException(e.toString(), e);
                }
            }
            statements.commit.execute();
        } catch (SQLException e) {
            rollbackQuietly(e);
            try {
                renewStatements();
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            if (batch.size() == 1) {
                batch.get(0).done.completeExceptionally(failed(e));
                return;
            }
            LOG.debug("store {}: a batch of {} writes failed ({}); writing them one by one", file,
                    batch.size(), e.toString());
            for (Pending p : batch) {
                commit(List.of(p));
            }
            return;
        }
        for (Pending p : batch) {
            p.done.complete(null);
        }
    }

    /** Writer thread: closes the prepared statements and prepares them again. */
    private void renewStatements() throws SQLException {
        statements.close();
        statements = new Statements(writer);
    }

    private StoreException failed(Throwable e) {
        return new StoreException("the store " + file + " could not write: " + e.getMessage()
                + " (a full disk or a damaged file? check " + file.getParent() + ")", e);
    }

    private void rollbackQuietly(SQLException cause) {
        try {
            if (!writer.getAutoCommit()) {
                writer.setAutoCommit(true);
            }
            try (Statement s = writer.createStatement()) {
                s.execute("ROLLBACK");
            }
        } catch (SQLException e) {
            // "no transaction is active": SQLite rolled it back itself.
            cause.addSuppressed(e);
        }
    }

    /** Writer thread, inside a transaction: applies one write in StoreWrite's order. */
    private void apply(StoreWrite w) throws SQLException {
        Statements st = statements;
        for (HistoryRecord r : w.historyRecords()) {
            PreparedStatement p = st.upsertHistory;
            p.setString(1, r.messageId());
            p.setBytes(2, idKey(r.messageId()));
            p.setString(3, r.conversation().kind().name());
            p.setString(4, r.conversation().id());
            p.setString(5, r.conversation().name());
            p.setInt(6, r.outgoing() ? 1 : 0);
            p.setString(7, r.sender());
            p.setBytes(8, r.senderKey().bytes());
            p.setString(9, r.text());
            p.setLong(10, r.sentAt().getEpochSecond());
            p.setInt(11, r.sentAt().getNano());
            if (r.receivedAt() == null) {
                p.setNull(12, java.sql.Types.INTEGER);
                p.setNull(13, java.sql.Types.INTEGER);
            } else {
                p.setLong(12, r.receivedAt().getEpochSecond());
                p.setInt(13, r.receivedAt().getNano());
            }
            p.setString(14, r.state().name());
            long seq;
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the history upsert returned no row");
                }
                seq = rs.getLong(1);
            }
            st.indexText.setLong(1, seq);
            st.indexText.setString(2, r.text().toLowerCase(Locale.ROOT));
            st.indexText.executeUpdate();
        }
        for (StoreWrite.StateChange c : w.stateChanges()) {
            st.updateState.setString(1, c.state().name());
            st.updateState.setString(2, c.messageId());
            st.updateState.executeUpdate();
        }
        // Acknowledgements before entries: entries renumbered below an acknowledged number in
        // the same write stay.
        for (StoreWrite.Acknowledged a : w.acknowledgements()) {
            st.acknowledge.setBytes(1, a.peer().bytes());
            st.acknowledge.setLong(2, a.epoch());
            st.acknowledge.setLong(3, a.upToSeq());
            st.acknowledge.executeUpdate();
        }
        for (OutboxRecord e : w.outboxEntries()) {
            PreparedStatement p = st.putOutbox;
            p.setBytes(1, e.peer().bytes());
            p.setLong(2, e.epoch());
            p.setLong(3, e.seq());
            p.setInt(4, e.kind());
            p.setBytes(5, e.body());
            p.setLong(6, e.deadline().getEpochSecond());
            p.setInt(7, e.deadline().getNano());
            p.setString(8, e.messageId());
            p.executeUpdate();
        }
        for (ReceiveRecord r : w.receiveRecords()) {
            st.putReceived.setBytes(1, r.peer().bytes());
            st.putReceived.setLong(2, r.epoch());
            st.putReceived.setLong(3, r.deliveredUpTo());
            st.putReceived.executeUpdate();
        }
        for (StoreWrite.Forgotten f : w.forgottenReceived()) {
            st.forgetReceived.setBytes(1, f.peer().bytes());
            st.forgetReceived.setLong(2, f.epoch());
            st.forgetReceived.executeUpdate();
        }
        for (RoomPosition r : w.roomPositions()) {
            st.putPosition.setString(1, r.roomId());
            st.putPosition.setBytes(2, r.origin().bytes());
            st.putPosition.setLong(3, r.incarnation());
            st.putPosition.setLong(4, r.next());
            st.putPosition.executeUpdate();
        }
        for (StoreWrite.Value v : w.values()) {
            byte[] bytes = v.value();
            if (bytes == null) {
                st.removeValue.setString(1, v.name());
                st.removeValue.executeUpdate();
            } else {
                st.putValue.setString(1, v.name());
                st.putValue.setBytes(2, bytes);
                st.putValue.executeUpdate();
            }
        }
    }

    /** The message id's sort key: UTF-16BE bytes compare as {@link String#compareTo} does. */
    static byte[] idKey(String messageId) {
        return messageId.getBytes(StandardCharsets.UTF_16BE);
    }

    /** The writer connection's prepared statements; writer thread only. */
    private static final class Statements {
        final PreparedStatement begin;
        final PreparedStatement commit;
        final PreparedStatement upsertHistory;
        final PreparedStatement indexText;
        final PreparedStatement updateState;
        final PreparedStatement putOutbox;
        final PreparedStatement acknowledge;
        final PreparedStatement putReceived;
        final PreparedStatement forgetReceived;
        final PreparedStatement putPosition;
        final PreparedStatement putValue;
        final PreparedStatement removeValue;

        Statements(Connection c) throws SQLException {
            begin = c.prepareStatement("BEGIN IMMEDIATE");
            commit = c.prepareStatement("COMMIT");
            upsertHistory = c.prepareStatement("INSERT INTO history (message_id, id_key,"
                    + " conv_kind, conv_id, conv_name, outgoing, sender, sender_key, text, sent_s,"
                    + " sent_n, received_s, received_n, state)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (message_id) DO UPDATE SET id_key = excluded.id_key,"
                    + " conv_kind = excluded.conv_kind, conv_id = excluded.conv_id,"
                    + " conv_name = excluded.conv_name, outgoing = excluded.outgoing,"
                    + " sender = excluded.sender, sender_key = excluded.sender_key,"
                    + " text = excluded.text, sent_s = excluded.sent_s,"
                    + " sent_n = excluded.sent_n, received_s = excluded.received_s,"
                    + " received_n = excluded.received_n, state = excluded.state"
                    + " RETURNING seq");
            indexText = c.prepareStatement(
                    "INSERT OR REPLACE INTO history_fts (rowid, body) VALUES (?, ?)");
            updateState = c.prepareStatement("UPDATE history SET state = ? WHERE message_id = ?");
            // An upsert, not INSERT OR REPLACE: a replaced entry keeps its rowid, which is its
            // place in the insertion order; a new one gets a rowid above every other entry's,
            // the last place.
            putOutbox = c.prepareStatement("INSERT INTO outbox (peer, epoch, seq, kind, body,"
                    + " deadline_s, deadline_n, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (peer, epoch, seq) DO UPDATE SET kind = excluded.kind,"
                    + " body = excluded.body, deadline_s = excluded.deadline_s,"
                    + " deadline_n = excluded.deadline_n, message_id = excluded.message_id");
            acknowledge = c.prepareStatement(
                    "DELETE FROM outbox WHERE peer = ? AND epoch = ? AND seq <= ?");
            putReceived = c.prepareStatement("INSERT OR REPLACE INTO received (peer, epoch,"
                    + " delivered_up_to) VALUES (?, ?, ?)");
            forgetReceived = c.prepareStatement(
                    "DELETE FROM received WHERE peer = ? AND epoch = ?");
            putPosition = c.prepareStatement("INSERT OR REPLACE INTO room_positions (room_id,"
                    + " origin, incarnation, next) VALUES (?, ?, ?, ?)");
            putValue = c.prepareStatement(
                    "INSERT OR REPLACE INTO named_values (name, value) VALUES (?, ?)");
            removeValue = c.prepareStatement("DELETE FROM named_values WHERE name = ?");
        }

        /** Closes every statement, ignoring failures: the connection stays usable. */
        void close() {
            for (PreparedStatement p : List.of(begin,
                    commit, upsertHistory, indexText, updateState, putOutbox, acknowledge,
                    putReceived, forgetReceived, putPosition, putValue, removeValue)) {
                try {
                    p.close();
                } catch (SQLException e) {
                    LOG.debug("closing a statement failed: {}", e.toString());
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------- reads

    /** A read on a pooled connection. */
    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, Read<T> read) {
        if (closed) {
            throw closedException();
        }
        Connection c = idleReaders.pollFirst();
        try {
            if (c == null) {
                c = connect(file, sync, true);
            }
            return read.run(c);
        } catch (SQLException e) {
            throw new StoreException("the store " + file + " could not read " + what + ": "
                    + e.getMessage() + " (a damaged file? check " + file + ")", e);
        } finally {
            if (c != null) {
                idleReaders.addFirst(c);
                if (released) {
                    closeReaders();
                }
            }
        }
    }

    @Override
    public List<HistoryRecord> history(Conversation conversation, HistoryQuery query) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT " + RECORD_COLUMNS
                + " FROM history WHERE conv_kind = ? AND conv_id = ?");
        if (query.beforeSentAt() != null) {
            sql.append(" AND (sent_s, sent_n, id_key) < (?, ?, ?)");
        }
        if (query.since() != null) {
            sql.append(" AND (sent_s, sent_n) >= (?, ?)");
        }
        sql.append(NEWEST_FIRST).append(" LIMIT ?");
        return read("history", c -> {
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                int i = 1;
                p.setString(i++, conversation.kind().name());
                p.setString(i++, conversation.id());
                if (query.beforeSentAt() != null) {
                    p.setLong(i++, query.beforeSentAt().getEpochSecond());
                    p.setInt(i++, query.beforeSentAt().getNano());
                    p.setBytes(i++, idKey(query.beforeId()));
                }
                if (query.since() != null) {
                    p.setLong(i++, query.since().getEpochSecond());
                    p.setInt(i++, query.since().getNano());
                }
                p.setInt(i, query.limit());
                List<HistoryRecord> page = new ArrayList<>(Math.min(query.limit(), 256));
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        page.add(record(r));
                    }
                }
                return List.copyOf(page);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Served by the {@code history_page} index, which orders each conversation's records by
     * time: the query walks it from one conversation to the next (two lookups each, one for the
     * next conversation's id and one for its latest record), so it costs a lookup per
     * conversation rather than a scan of the whole history.
     */
    @Override
    public List<Conversation> conversations(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("expected a limit of at least 1, got " + limit);
        }
        return read("the conversations", c -> {
            try (PreparedStatement p = c.prepareStatement(CONVERSATIONS)) {
                int i = 1;
                for (Conversation.Kind kind : Conversation.Kind.values()) {
                    p.setString(i++, kind.name());
                }
                p.setInt(i, limit);
                List<Conversation> found = new ArrayList<>(Math.min(limit, 256));
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        found.add(new Conversation(Conversation.Kind.valueOf(r.getString(1)),
                                r.getString(2), r.getString(3)));
                    }
                }
                return List.copyOf(found);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>A record matches when its text, lower-cased with {@link Locale#ROOT}, contains each
     * word of the lower-cased query as a substring (a blank query matches every record). Words
     * of three characters or more are looked up in the trigram index; shorter ones, and the
     * exact definition, are checked on the candidates it yields, newest first, until the limit.
     * A query of short words only reads the whole history.
     */
    @Override
    public List<HistoryRecord> search(String words, int limit) {
        Objects.requireNonNull(words, "words");
        if (limit < 1) {
            throw new IllegalArgumentException("expected a limit of at least 1, got " + limit);
        }
        List<String> wanted = new ArrayList<>();
        StringBuilder match = new StringBuilder();
        for (String w : words.toLowerCase(Locale.ROOT).strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            wanted.add(w);
            if (w.codePointCount(0, w.length()) >= 3) {
                if (match.length() > 0) {
                    match.append(" AND ");
                }
                match.append('"').append(w.replace("\"", "\"\"")).append('"');
            }
        }
        String sql = match.length() == 0
                ? "SELECT " + RECORD_COLUMNS + " FROM history" + NEWEST_FIRST
                : "SELECT " + RECORD_COLUMNS + " FROM history WHERE seq IN"
                        + " (SELECT rowid FROM history_fts WHERE history_fts MATCH ?)" + NEWEST_FIRST;
        return read("the search index", c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (match.length() > 0) {
                    p.setString(1, match.toString());
                }
                List<HistoryRecord> found = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (found.size() < limit && r.next()) {
                        String text = r.getString(8).toLowerCase(Locale.ROOT);
                        boolean all = true;
                        for (String w : wanted) {
                            if (!text.contains(w)) {
                                all = false;
                                break;
                            }
                        }
                        if (all) {
                            found.add(record(r));
                        }
                    }
                }
                return List.copyOf(found);
            }
        });
    }

    private static HistoryRecord record(ResultSet r) throws SQLException {
        String kind = r.getString(2);
        Conversation conversation = new Conversation(Conversation.Kind.valueOf(kind),
                r.getString(3), r.getString(4));
        long receivedS = r.getLong(11);
        Instant receivedAt = r.wasNull() ? null : Instant.ofEpochSecond(receivedS, r.getInt(12));
        return new HistoryRecord(r.getString(1), conversation, r.getInt(5) != 0, r.getString(6),
                PeerKey.of(r.getBytes(7)), r.getString(8),
                Instant.ofEpochSecond(r.getLong(9), r.getInt(10)), receivedAt,
                DeliveryState.valueOf(r.getString(13)));
    }

    @Override
    public List<OutboxRecord> outbox() {
        return read("the outbox", c -> {
            List<OutboxRecord> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT peer, epoch, seq, kind, body, deadline_s,"
                            + " deadline_n, message_id FROM outbox ORDER BY peer, added")) {
                while (r.next()) {
                    all.add(new OutboxRecord(PeerKey.of(r.getBytes(1)), r.getLong(2),
                            r.getLong(3), (byte) r.getInt(4), r.getBytes(5),
                            Instant.ofEpochSecond(r.getLong(6), r.getInt(7)), r.getString(8)));
                }
            }
            return List.copyOf(all);
        });
    }

    @Override
    public List<ReceiveRecord> received() {
        return read("the receive records", c -> {
            List<ReceiveRecord> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT peer, epoch, delivered_up_to FROM received"
                                    + " ORDER BY peer, epoch")) {
                while (r.next()) {
                    all.add(new ReceiveRecord(PeerKey.of(r.getBytes(1)), r.getLong(2),
                            r.getLong(3)));
                }
            }
            return List.copyOf(all);
        });
    }

    @Override
    public List<RoomPosition> roomPositions() {
        return read("the room positions", c -> {
            List<RoomPosition> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT room_id, origin, incarnation, next"
                            + " FROM room_positions ORDER BY room_id, origin")) {
                while (r.next()) {
                    all.add(new RoomPosition(r.getString(1), PeerKey.of(r.getBytes(2)),
                            r.getLong(3), r.getLong(4)));
                }
            }
            return List.copyOf(all);
        });
    }

    @Override
    public Optional<byte[]> value(String name) {
        Objects.requireNonNull(name, "name");
        return read("the value " + name, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT value FROM named_values WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    // ----------------------------------------------------------------------------------- close

    @Override
    public void close() {
        synchronized (closeLock) {
            if (!closed) {
                closed = true;
                queue.add(CLOSE);
            }
        }
        if (Thread.currentThread() == writerThread) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                writerThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writer thread, after the last batch: closes every connection. */
    private void release() {
        try {
            statements.close();
            writer.close();
        } catch (SQLException e) {
            LOG.warn("store {}: closing the database failed: {}", file, e.toString());
        }
        released = true;
        closeReaders();
    }

    private void closeReaders() {
        Connection c;
        while ((c = idleReaders.pollFirst()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("store {}: closing a read connection failed: {}", file, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + file + ", synchronous " + sync + "]";
    }
}
