package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.p2pchat.api.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read connections of a store: each read takes an idle one (opening one if none is idle)
 * and gives it back, so concurrent reads never share a connection and never wait for the writer
 * (WAL lets a reader see the last commit while the writer writes the next).
 *
 * <p>Thread-safe: any thread reads. At most as many connections as reads ever ran at once.
 * Once {@link #refuse} is called reads fail; once {@link #closeAll} is called every connection,
 * idle or given back later, is closed.
 */
final class ReaderPool {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderPool.class);

    /** A read on a pooled connection. */
    @FunctionalInterface
    interface Read<T> {
        /**
         * Reads.
         *
         * @param c the connection, read-only, in autocommit mode
         * @return what was read
         * @throws SQLException if it fails
         */
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final SqliteStore.Sync sync;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean refused;
    private volatile boolean released;

    ReaderPool(Path file, SqliteStore.Sync sync) {
        this.file = file;
        this.sync = sync;
    }

    /**
     * Runs a read on a connection of the pool.
     *
     * @param what what it reads, for the message of a failure
     * @param read the read
     * @return its result
     * @throws StoreException if the store is closed or the read fails
     */
    <T> T read(String what, Read<T> read) {
        if (refused) {
            throw new StoreException("the store " + file + " is closed");
        }
        Connection c = idle.pollFirst();
        try {
            if (c == null) {
                c = Database.connect(file, sync, true);
            }
            return read.run(c);
        } catch (SQLException e) {
            throw new StoreException("the store " + file + " could not read " + what + ": "
                    + e.getMessage() + " (a damaged file? check " + file + ")", e);
        } finally {
            if (c != null) {
                idle.addFirst(c);
                if (released) {
                    closeIdle();
                }
            }
        }
    }

    /** From now on, reads fail. */
    void refuse() {
        refused = true;
    }

    /** Closes every idle connection, and each one given back from now on. */
    void closeAll() {
        refused = true;
        released = true;
        closeIdle();
    }

    private void closeIdle() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("store {}: closing a read connection failed: {}", file, e.toString());
            }
        }
    }
}
