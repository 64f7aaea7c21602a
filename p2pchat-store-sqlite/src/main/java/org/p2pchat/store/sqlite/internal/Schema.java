package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.p2pchat.api.StoreException;

/**
 * The database's schema and its migrations. The version is SQLite's {@code PRAGMA user_version};
 * {@code PRAGMA application_id} marks the file as a p2pchat store. Each migration takes the schema
 * from its version minus one to its version, in its own transaction with the new version number,
 * so a crash during a migration leaves the database at the version before it.
 *
 * <p>Versions:
 * <ol>
 *   <li>history (paged per conversation by an index on conversation, time sent and message id),
 *       outbox, receive records and named values;
 *   <li>room positions, and the FTS5 search index over the history, built from the records
 *       already stored;
 *   <li>outbox entries keyed by peer, epoch and number, with their insertion order (the rowid),
 *       existing entries taking epoch 0 and their old order (by peer, then number); receive
 *       records keyed by peer and epoch, the existing ones kept.
 * </ol>
 *
 * <p>A migration, once released, is never changed: databases out there are at every version.
 *
 * <p>Not thread-safe: used by the store's opening thread only, before any other connection. The
 * connection must have {@link Database}'s functions ({@code lower_root}, {@code id_key}).
 */
final class Schema {
    /** The version this code writes: a database at a higher one is refused. */
    static final int LATEST = 4;
    /** "p2pC", in {@code PRAGMA application_id}. */
    static final int APPLICATION_ID = 0x70_32_70_43;

    /** The statements of each migration, index 0 taking version 0 to version 1. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    // id_key is the message id in UTF-16BE: its byte order is String.compareTo's,
                    // which is the order HistoryQuery pages by.
                    "CREATE TABLE history ("
                            + " seq INTEGER PRIMARY KEY,"
                            + " message_id TEXT NOT NULL UNIQUE,"
                            + " id_key BLOB NOT NULL,"
                            + " conv_kind TEXT NOT NULL,"
                            + " conv_id TEXT NOT NULL,"
                            + " conv_name TEXT NOT NULL,"
                            + " outgoing INTEGER NOT NULL,"
                            + " sender TEXT NOT NULL,"
                            + " sender_key BLOB NOT NULL,"
                            + " text TEXT NOT NULL,"
                            + " sent_s INTEGER NOT NULL,"
                            + " sent_n INTEGER NOT NULL,"
                            + " received_s INTEGER,"
                            + " received_n INTEGER,"
                            + " state TEXT NOT NULL)",
                    "CREATE INDEX history_page ON history (conv_kind, conv_id, sent_s, sent_n, id_key)",
                    "CREATE TABLE outbox ("
                            + " peer BLOB NOT NULL,"
                            + " seq INTEGER NOT NULL,"
                            + " kind INTEGER NOT NULL,"
                            + " body BLOB NOT NULL,"
                            + " deadline_s INTEGER NOT NULL,"
                            + " deadline_n INTEGER NOT NULL,"
                            + " message_id TEXT,"
                            + " PRIMARY KEY (peer, seq)) WITHOUT ROWID",
                    "CREATE TABLE received ("
                            + " peer BLOB PRIMARY KEY,"
                            + " epoch INTEGER NOT NULL,"
                            + " delivered_up_to INTEGER NOT NULL) WITHOUT ROWID",
                    "CREATE TABLE named_values ("
                            + " name TEXT PRIMARY KEY,"
                            + " value BLOB NOT NULL) WITHOUT ROWID"),
            List.of(
                    "CREATE TABLE room_positions ("
                            + " room_id TEXT NOT NULL,"
                            + " origin BLOB NOT NULL,"
                            + " incarnation INTEGER NOT NULL,"
                            + " next INTEGER NOT NULL,"
                            + " PRIMARY KEY (room_id, origin)) WITHOUT ROWID",
                    // Contentless: the store writes each record's text lower-cased with
                    // Locale.ROOT, so the trigram index finds every substring the search's
                    // definition (String.contains on lower-cased text) matches.
                    "CREATE VIRTUAL TABLE history_fts USING fts5 (body,"
                            + " tokenize = 'trigram case_sensitive 1', content = '',"
                            + " contentless_delete = 1)",
                    "INSERT INTO history_fts (rowid, body) SELECT seq, lower_root(text) FROM history"),
            List.of(
                    // SQLite cannot change a primary key in place: each table is rebuilt under a
                    // new name, filled, and renamed over the old one.
                    // A rowid table: the rowid ("added") is the insertion order outbox() lists a
                    // peer's entries in, since epochs are random and say nothing of it. An
                    // upsert keeps a replaced entry's rowid, so it keeps its place.
                    "CREATE TABLE outbox_v3 ("
                            + " added INTEGER PRIMARY KEY,"
                            + " peer BLOB NOT NULL,"
                            + " epoch INTEGER NOT NULL,"
                            + " seq INTEGER NOT NULL,"
                            + " kind INTEGER NOT NULL,"
                            + " body BLOB NOT NULL,"
                            + " deadline_s INTEGER NOT NULL,"
                            + " deadline_n INTEGER NOT NULL,"
                            + " message_id TEXT)",
                    // Version 2 listed a peer's entries by number: that order becomes their
                    // insertion order.
                    "INSERT INTO outbox_v3 (added, peer, epoch, seq, kind, body, deadline_s,"
                            + " deadline_n, message_id)"
                            + " SELECT row_number() OVER (ORDER BY peer, seq), peer, 0, seq, kind,"
                            + " body, deadline_s, deadline_n, message_id FROM outbox",
                    "DROP TABLE outbox",
                    "ALTER TABLE outbox_v3 RENAME TO outbox",
                    // Created after the rename, so that it is named for the table it serves:
                    // the key that entries replace each other by and acknowledgements delete by.
                    "CREATE UNIQUE INDEX outbox_key ON outbox (peer, epoch, seq)",
                    "CREATE TABLE received_v3 ("
                            + " peer BLOB NOT NULL,"
                            + " epoch INTEGER NOT NULL,"
                            + " delivered_up_to INTEGER NOT NULL,"
                            + " PRIMARY KEY (peer, epoch)) WITHOUT ROWID",
                    "INSERT INTO received_v3 (peer, epoch, delivered_up_to)"
                            + " SELECT peer, epoch, delivered_up_to FROM received",
                    "DROP TABLE received",
                    "ALTER TABLE received_v3 RENAME TO received"),
            List.of(
                    // The id is its key: IdKey decodes it. One copy of the id in the row and
                    // one in each index, instead of the id and its UTF-16 key in the row.
                    "CREATE TABLE history_v4 ("
                            + " seq INTEGER PRIMARY KEY,"
                            + " id_key BLOB NOT NULL UNIQUE,"
                            + " conv_kind TEXT NOT NULL,"
                            + " conv_id TEXT NOT NULL,"
                            + " conv_name TEXT NOT NULL,"
                            + " outgoing INTEGER NOT NULL,"
                            + " sender TEXT NOT NULL,"
                            + " sender_key BLOB NOT NULL,"
                            + " text TEXT NOT NULL,"
                            + " sent_s INTEGER NOT NULL,"
                            + " sent_n INTEGER NOT NULL,"
                            + " received_s INTEGER,"
                            + " received_n INTEGER,"
                            + " state TEXT NOT NULL)",
                    // The same rowids: they are the search index's keys and its progress.
                    "INSERT INTO history_v4 (seq, id_key, conv_kind, conv_id, conv_name, outgoing,"
                            + " sender, sender_key, text, sent_s, sent_n, received_s, received_n,"
                            + " state) SELECT seq, id_key(message_id), conv_kind, conv_id,"
                            + " conv_name, outgoing, sender, sender_key, text, sent_s, sent_n,"
                            + " received_s, received_n, state FROM history",
                    "DROP TABLE history",
                    "ALTER TABLE history_v4 RENAME TO history",
                    "CREATE INDEX history_page ON history (conv_kind, conv_id, sent_s, sent_n,"
                            + " id_key)",
                    // Without positions (detail=none): a third of the size and of the work. A
                    // search asks for each trigram of a word, not the word as a phrase, and
                    // checks every candidate's text anyway. Without a row of sizes per record
                    // (columnsize=0: searches order by time, never by rank) and without
                    // contentless_delete's bookkeeping: the one record that leaves the index,
                    // one replaced, is deleted with FTS5's 'delete' and the text it had.
                    "DROP TABLE history_fts",
                    "CREATE VIRTUAL TABLE history_fts USING fts5 (body,"
                            + " tokenize = 'trigram case_sensitive 1', content = '',"
                            + " columnsize = 0, detail = none)",
                    "INSERT INTO history_fts (rowid, body) SELECT seq, lower_root(text)"
                            + " FROM history",
                    // One row: every record up to indexed_up_to (a rowid) is in the index.
                    "CREATE TABLE search_progress ("
                            + " only INTEGER PRIMARY KEY CHECK (only = 1),"
                            + " indexed_up_to INTEGER NOT NULL)",
                    "INSERT INTO search_progress (only, indexed_up_to)"
                            + " SELECT 1, coalesce(max(seq), 0) FROM history"));

    private Schema() {
    }

    /**
     * Brings a database to {@link #LATEST}, or refuses it.
     *
     * @param c the writer connection, in autocommit mode, with {@code lower_root} registered
     * @param file the database file, for messages
     * @throws StoreException if the database is newer than this code or not a p2pchat store
     * @throws SQLException if a migration fails (its transaction is rolled back)
     */
    static void migrate(Connection c, Path file) throws SQLException {
        try (Statement s = c.createStatement()) {
            int appId = intPragma(s, "application_id");
            int version = intPragma(s, "user_version");
            if (appId != 0 && appId != APPLICATION_ID) {
                throw new StoreException(file + " is not a p2pchat store (its application_id is "
                        + appId + "); move it away or choose another directory");
            }
            if (version > LATEST) {
                throw new StoreException(file + " has schema version " + version
                        + ", newer than version " + LATEST + " that this p2pchat reads: open it"
                        + " with the newer p2pchat that wrote it, or move it away to start afresh");
            }
            while (version < LATEST) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    // Read again inside the write lock: another process may have migrated.
                    int now = intPragma(s, "user_version");
                    if (now == version) {
                        for (String sql : MIGRATIONS.get(version)) {
                            s.execute(sql);
                        }
                        s.execute("PRAGMA application_id = " + APPLICATION_ID);
                        s.execute("PRAGMA user_version = " + (version + 1));
                    }
                    s.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    Database.rollBack(s, e);
                    throw e;
                }
                version = intPragma(s, "user_version");
            }
        }
    }

    /** Reads an integer pragma. */
    static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }
}
