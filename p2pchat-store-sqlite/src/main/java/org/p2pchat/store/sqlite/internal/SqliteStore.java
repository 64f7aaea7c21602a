package org.p2pchat.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.StoreException;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.RoomPosition;
import org.p2pchat.spi.StoreWrite;

/**
 * A {@link MessageStore} in one SQLite database, {@value #FILE_NAME} in the peer's directory.
 *
 * <p><b>Writes.</b> {@link #write} queues the write and returns. One daemon thread per store,
 * named for the file, takes every write queued (up to {@value Writer#MAX_BATCH}), applies them
 * in one transaction, commits, and then completes their stages in call order: a group commit, so
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
 * <p><b>Search</b> uses an FTS5 trigram index that the writer fills behind the writes, in
 * chunks, when it has nothing to write or once too many records wait ({@link SearchIndex}).
 *
 * <p><b>Reads</b> run on the caller's thread, each on a read connection of its own taken from a
 * small pool (opened as needed, kept for reuse), so they never wait for the writer: WAL lets
 * readers see the last commit while the writer writes the next. A read sees every write whose
 * stage has completed.
 *
 * <p><b>Classes.</b> This facade only routes: {@link Writer} (the writer thread, group commit)
 * with {@link WriteStatements} (a write's statements) and {@link SearchIndex}; {@link
 * HistoryReads} and {@link LedgerReads} on a {@link ReaderPool}; {@link Schema} and {@link
 * Database} to open.
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

    private final Path file;
    private final Sync sync;
    private final ReaderPool readers;
    private final Writer writer;
    private final HistoryReads history;
    private final LedgerReads ledger;

    private SqliteStore(Path file, Sync sync) throws SQLException {
        this.file = file;
        this.sync = sync;
        this.readers = new ReaderPool(file, sync);
        Connection c = Database.connect(file, sync, false);
        boolean ok = false;
        try {
            Schema.migrate(c, file);
            this.writer = new Writer(file, c, readers::closeAll);
            ok = true;
        } finally {
            if (!ok) {
                c.close();
            }
        }
        this.history = new HistoryReads(readers);
        this.ledger = new LedgerReads(readers);
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
        return writer.batchesBegun();
    }

    /**
     * Runs a task on the writer thread, after the writes queued before it: for tests that need
     * the writer's connection (its pragmas, a simulated full disk).
     *
     * @param task the task
     * @return its result
     */
    CompletionStage<String> onWriter(Writer.Task task) {
        return writer.onWriter(task);
    }

    @Override
    public CompletionStage<Void> write(StoreWrite write) {
        Objects.requireNonNull(write, "write");
        return writer.write(write);
    }

    @Override
    public List<HistoryRecord> history(Conversation conversation, HistoryQuery query) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(query, "query");
        return history.history(conversation, query);
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
        return history.conversations(limit);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A record matches when its text, lower-cased with {@link Locale#ROOT}, contains each
     * word of the lower-cased query as a substring (a blank query matches every record). The
     * trigrams of the words of three characters or more are looked up in the trigram index,
     * and the records the writer has not indexed yet are added to its candidates (so a search
     * finds every committed record); the exact definition is checked on the candidates, newest
     * first, until the limit. A query of short words only reads the whole history.
     */
    @Override
    public List<HistoryRecord> search(String words, int limit) {
        Objects.requireNonNull(words, "words");
        if (limit < 1) {
            throw new IllegalArgumentException("expected a limit of at least 1, got " + limit);
        }
        return history.search(words, limit);
    }

    @Override
    public List<OutboxRecord> outbox() {
        return ledger.outbox();
    }

    @Override
    public List<ReceiveRecord> received() {
        return ledger.received();
    }

    @Override
    public List<RoomPosition> roomPositions() {
        return ledger.roomPositions();
    }

    @Override
    public Optional<byte[]> value(String name) {
        Objects.requireNonNull(name, "name");
        return ledger.value(name);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Applies the writes queued, then closes the connections; reads fail from now on. Called
     * from a stage's dependent action (on the writer thread) it returns at once, and the writer
     * closes everything once its batch is done.
     */
    @Override
    public void close() {
        readers.refuse();
        writer.close();
    }

    @Override
    public String toString() {
        return "SqliteStore[" + file + ", synchronous " + sync + "]";
    }
}
