package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to the store's database with its settings: WAL, the {@code synchronous} mode
 * asked for, the busy timeout, and the SQL functions the schema's statements call.
 *
 * <p>Stateless; called by whichever thread needs a connection (the opening thread for the
 * writer's, a reader for its pooled one). A connection it returns is in WAL mode, or it throws.
 */
final class Database {
    /** How long a connection waits for a lock that another connection holds, in milliseconds. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private Database() {
    }

    /**
     * Opens a connection.
     *
     * @param file the database file
     * @param sync the synchronous mode
     * @param reader whether the connection only reads ({@code query_only})
     * @return the connection, in autocommit mode
     * @throws SQLException if it cannot be opened, or the file system cannot do WAL
     */
    static Connection connect(Path file, SqliteStore.Sync sync, boolean reader)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // No statement here reads generated keys; looking for them costs a regex per update.
        config.setGetGeneratedKeys(false);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(sync == SqliteStore.Sync.FULL ? SQLiteConfig.SynchronousMode.FULL
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
                // Statement journals (a statement inside a transaction of many) and the sorts
                // of reads in memory, not in temporary files opened and deleted each time.
                s.execute("PRAGMA temp_store = MEMORY");
                if (!reader) {
                    // Checkpoints (each one syncs the WAL and the database, a pause of the
                    // writer) every 16 MiB of WAL rather than every 4 MiB.
                    s.execute("PRAGMA wal_autocheckpoint = 4000");
                }
            }
            Function.create(c, "lower_root", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    String t = value_text(0);
                    result(t == null ? null : t.toLowerCase(Locale.ROOT));
                }
            }, 1, Function.FLAG_DETERMINISTIC);
            // For the migration to version 4, which turns every id into its key.
            Function.create(c, "id_key", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    String t = value_text(0);
                    if (t == null) {
                        result();
                    } else {
                        result(IdKey.of(t));
                    }
                }
            }, 1, Function.FLAG_DETERMINISTIC);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Rolls back the transaction open on {@code s} after it failed with {@code cause}: a
     * rollback that fails too is added to the cause, which the caller then throws.
     *
     * @param s a statement of the connection whose transaction failed
     * @param cause why it failed
     */
    static void rollBack(java.sql.Statement s, Exception cause) {
        try {
            s.execute("ROLLBACK");
        } catch (java.sql.SQLException again) {
            cause.addSuppressed(again);
        }
    }
}
