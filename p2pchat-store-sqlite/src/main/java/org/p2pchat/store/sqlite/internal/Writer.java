package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.StoreException;
import org.p2pchat.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's writer thread and its connection: group commit.
 *
 * <p>{@link #write} queues a write and returns (any thread). The writer thread, a daemon named
 * for the file, takes every write queued (up to {@value #MAX_BATCH}), applies them in one
 * transaction, commits, and then completes their stages in call order: writes arriving while the
 * disk is busy share the next commit. A stage completes only after the commit of its write. If
 * one write of a batch fails (a constraint, a full disk, an I/O error), nothing of the batch is
 * committed and its writes are tried again one transaction each, so that each stage reports its
 * own write's fate: the one that failed fails with a {@link StoreException}, the others commit.
 * (Optimistic: a savepoint around every write would cost two more statements per message, for a
 * failure that is rare.)
 *
 * <p>Between writes, the writer fills the search index behind them ({@link SearchIndex}).
 *
 * <p>{@link #close} queues the end after the writes queued; the thread applies them, closes its
 * statements and connection, runs the release action, and ends.
 */
final class Writer {
    /** The most writes one transaction applies. */
    static final int MAX_BATCH = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    /** Work for the writer thread on its connection, outside any transaction: for tests. */
    @FunctionalInterface
    interface Task {
        /**
         * Runs the task.
         *
         * @param writer the writer connection, in autocommit mode
         * @return a result for the caller
         * @throws SQLException if it fails
         */
        String run(Connection writer) throws SQLException;
    }

    /** A queued write and its stage, or a task and its result. */
    private record Pending(StoreWrite write, CompletableFuture<Void> done, Task task,
            CompletableFuture<String> result) {
    }

    /** Queued after the last write by {@link #close}. */
    private static final Pending CLOSE = new Pending(null, null, null, null);

    private final Path file;
    private final Connection connection;
    private final Runnable onRelease;
    /** Prepared again after a failure: the driver may have closed a statement that failed. */
    private WriteStatements statements;
    /** Renewed with the statements. */
    private SearchIndex index;
    /** Set when indexing failed, cleared by the next batch committed: no retry in a loop. */
    private boolean indexStalled;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Object closeLock = new Object();
    private final Thread thread;
    private final AtomicLong batchesBegun = new AtomicLong();
    private boolean closed;

    /**
     * Starts the writer thread on a connection, which it owns from now on.
     *
     * @param file the database file, for names and messages
     * @param connection the writer connection, migrated
     * @param onRelease run on the writer thread once its connection is closed
     * @throws SQLException if the statements cannot be prepared (the connection is then left
     *     open, the caller's to close)
     */
    Writer(Path file, Connection connection, Runnable onRelease) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.onRelease = onRelease;
        this.index = new SearchIndex(connection);
        try {
            this.statements = new WriteStatements(connection, index);
        } catch (SQLException e) {
            index.close();
            throw e;
        }
        thread = new Thread(this::run, "p2pchat-store " + file);
        thread.setDaemon(true);
        thread.start();
    }

    /** How many transactions the writer has begun: for tests of the batching. */
    long batchesBegun() {
        return batchesBegun.get();
    }

    /**
     * Queues a write.
     *
     * @param write the write
     * @return completes after its commit, or fails with a {@link StoreException}
     */
    CompletionStage<Void> write(StoreWrite write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        return enqueue(new Pending(write, done, null, null)) ? done
                : CompletableFuture.failedFuture(closedException());
    }

    /**
     * Runs a task on the writer thread, after the writes queued before it.
     *
     * @param task the task
     * @return its result
     */
    CompletionStage<String> onWriter(Task task) {
        CompletableFuture<String> result = new CompletableFuture<>();
        return enqueue(new Pending(null, null, task, result)) ? result
                : CompletableFuture.failedFuture(closedException());
    }

    private boolean enqueue(Pending p) {
        synchronized (closeLock) {
            if (closed) {
                return false;
            }
            queue.add(p);
            return true;
        }
    }

    private StoreException closedException() {
        return new StoreException("the store " + file + " is closed");
    }

    /**
     * Queues the end, after the writes queued; waits for the thread to end unless called on
     * it (from a stage's dependent action), where it returns at once.
     */
    void close() {
        synchronized (closeLock) {
            if (!closed) {
                closed = true;
                queue.add(CLOSE);
            }
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            Pending first = queue.poll();
            if (first == null && index.behind() && !indexStalled) {
                // Nothing to write: the search index's turn, one chunk, then look again.
                indexSafely();
                continue;
            }
            try {
                batch.add(first != null ? first : queue.take());
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
            while (index.farBehind() && !indexStalled) {
                // Writes never stop: index between batches, so searches read a bounded tail.
                indexSafely();
            }
        }
        release();
    }

    /** Indexes a chunk; a failure stalls indexing until a batch commits (searches stay whole). */
    private void indexSafely() {
        try {
            index.catchUp();
        } catch (SQLException | RuntimeException e) {
            indexStalled = true;
            LOG.warn("store {}: filling the search index failed, tried again after the next"
                    + " write (searches read the records not yet indexed): {}", file, e.toString());
            rollbackQuietly(new SQLException(e));
            try {
                renewStatements();
            } catch (SQLException again) {
                LOG.warn("store {}: preparing the statements again failed: {}", file,
                        again.toString());
            }
        }
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
            p.result.complete(p.task.run(connection));
        } catch (SQLException | RuntimeException e) {
            p.result.completeExceptionally(e);
        }
    }

    /** Applies a batch, in one transaction if it can, and completes its stages. */
    private void commit(List<Pending> batch) {
        batchesBegun.incrementAndGet();
        try {
            statements.begin();
            for (int i = 0; i < batch.size(); i++) {
                try {
                    statements.apply(batch.get(i).write);
                } catch (RuntimeException e) {
                    // A write SQLite cannot take as given (a value out of range, say).
                    throw new SQLException(e.toString(), e);
                }
            }
            statements.commit();
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
        indexStalled = false;
        for (Pending p : batch) {
            p.done.complete(null);
        }
    }

    /** Closes the prepared statements and prepares them again. */
    private void renewStatements() throws SQLException {
        statements.close();
        try {
            index.close();
        } catch (SQLException e) {
            LOG.debug("closing the index's statements failed: {}", e.toString());
        }
        index = new SearchIndex(connection);
        statements = new WriteStatements(connection, index);
    }

    private StoreException failed(Throwable e) {
        return new StoreException("the store " + file + " could not write: " + e.getMessage()
                + " (a full disk or a damaged file? check " + file.getParent() + ")", e);
    }

    private void rollbackQuietly(SQLException cause) {
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            try (Statement s = connection.createStatement()) {
                s.execute("ROLLBACK");
            }
        } catch (SQLException e) {
            // "no transaction is active": SQLite rolled it back itself.
            cause.addSuppressed(e);
        }
    }

    /** After the last batch: closes the statements and the connection, then runs onRelease. */
    private void release() {
        try {
            statements.close();
            index.close();
            connection.close();
        } catch (SQLException e) {
            LOG.warn("store {}: closing the database failed: {}", file, e.toString());
        }
        onRelease.run();
    }
}
