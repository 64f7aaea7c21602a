package org.p2pchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The full-text search index, {@code history_fts}: a contentless FTS5 trigram index, without
 * positions, of each history record's text lower-cased with {@link Locale#ROOT}, keyed by the
 * record's rowid, filled behind the writes.
 *
 * <p>A write only inserts its record; the writer indexes the records above {@code
 * search_progress.indexed_up_to} when it has nothing else to do, or after a batch once {@value
 * #MAX_LAG} records or more wait (so that what a search reads without the index stays bounded),
 * {@value #CHUNK} records per transaction, advancing the progress in the same transaction. Many
 * records per transaction is what makes indexing cheap: FTS5 merges their terms in memory and
 * writes them once. A record replaced in place (same id) below the progress is indexed again at
 * once, in its write's transaction; one above it is indexed with its new text when the writer
 * gets there.
 *
 * <p>Guarantee: every committed record with a rowid up to the progress is in the index, and a
 * search reads the records above it directly ({@link #SEARCH}), so a search finds every
 * committed record, after a crash too: the progress is only ever committed with the entries it
 * covers.
 *
 * <p>The index holds, for each record up to the progress, exactly its text as the record has it,
 * lower-cased (Java's {@code Locale.ROOT}, or SQLite's {@code lower()} on ASCII, the same): what
 * FTS5's {@code delete} needs to take a record's entries out again.
 *
 * <p>An instance holds statements of the writer connection: writer thread only. The static
 * {@link #query} and {@link #SEARCH} are for any thread.
 */
final class SearchIndex implements AutoCloseable {
    /** The most records one indexing transaction takes: bounds how long a write waits for it. */
    static final int CHUNK = 128;
    /** How many records may wait for the index before the writer indexes between batches. */
    static final int MAX_LAG = 4096;
    /** The most trigrams a word asks the index for: the rest only narrow, and are checked. */
    static final int MAX_TRIGRAMS = 16;

    /**
     * The rowids of a search's candidates, for {@code WHERE seq IN (...)}: the index's matches,
     * and every record not yet indexed. Read in one statement, so in one read transaction with
     * the progress.
     */
    static final String CANDIDATES = "SELECT rowid FROM history_fts WHERE history_fts MATCH ?"
            + " UNION ALL SELECT seq FROM history"
            + " WHERE seq > (SELECT indexed_up_to FROM search_progress)";
    /** Used by {@link HistoryReads}: the same as {@link #CANDIDATES}, for a WHERE clause. */
    static final String SEARCH = "seq IN (" + CANDIDATES + ")";

    private final Connection writer;
    private final PreparedStatement put;
    private final PreparedStatement delete;
    private final PreparedStatement chunkEnd;
    private final PreparedStatement fill;
    private final PreparedStatement progress;
    private final PreparedStatement advance;
    /** Records written since the index last caught up, an upper bound: a batch may roll back. */
    private long waiting;

    /**
     * Prepares the statements and reads how far behind the index is.
     *
     * @param writer the writer connection, outside a transaction
     * @throws SQLException if it fails
     */
    SearchIndex(Connection writer) throws SQLException {
        this.writer = writer;
        List<PreparedStatement> made = new ArrayList<>();
        boolean ok = false;
        try {
            put = add(made, "INSERT INTO history_fts (rowid, body) VALUES (?, ?)");
            // A contentless index forgets a record given the text it indexed for it.
            delete = add(made, "INSERT INTO history_fts (history_fts, rowid, body)"
                    + " VALUES ('delete', ?, ?)");
            // The last rowid of the next chunk: a range of the table's b-tree, no row read.
            chunkEnd = add(made, "SELECT max(seq) FROM (SELECT seq FROM history WHERE seq > ?"
                    + " ORDER BY seq LIMIT ?)");
            // One statement for the chunk: no round trip from Java per record.
            // ASCII text (as many chars as bytes) is lower-cased by SQLite's lower(), which is
            // Locale.ROOT's on ASCII, without a call into Java and a copy each way.
            fill = add(made, "INSERT INTO history_fts (rowid, body) SELECT seq,"
                    + " CASE WHEN length(text) = octet_length(text) THEN lower(text)"
                    + " ELSE lower_root(text) END FROM history WHERE seq > ? AND seq <= ?");
            progress = add(made, "SELECT indexed_up_to FROM search_progress");
            advance = add(made, "UPDATE search_progress SET indexed_up_to = ?");
            try (Statement s = writer.createStatement();
                    ResultSet r = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0)"
                            + " FROM history) - indexed_up_to FROM search_progress")) {
                waiting = r.next() ? Math.max(0, r.getLong(1)) : 0;
            }
            ok = true;
        } finally {
            if (!ok) {
                for (PreparedStatement p : made) {
                    p.close();
                }
            }
        }
    }

    private PreparedStatement add(List<PreparedStatement> made, String sql) throws SQLException {
        PreparedStatement p = writer.prepareStatement(sql);
        made.add(p);
        return p;
    }

    /** A record was inserted: it waits for the index. */
    void inserted() {
        waiting++;
    }

    /** Whether records may wait for the index. */
    boolean behind() {
        return waiting > 0;
    }

    /** Whether so many records wait that the writer indexes even when writes wait. */
    boolean farBehind() {
        return waiting >= MAX_LAG;
    }

    /**
     * Inside a write's transaction: indexes a record replaced in place if the index has passed
     * it (else the writer indexes its new text when it gets there).
     *
     * @param seq the record's rowid
     * @param oldText the text it had, which the index holds
     * @param newText its new text
     * @throws SQLException if it fails
     */
    void replaced(long seq, String oldText, String newText) throws SQLException {
        if (seq > indexedUpTo()) {
            return;
        }
        delete.setLong(1, seq);
        delete.setString(2, oldText.toLowerCase(Locale.ROOT));
        delete.executeUpdate();
        put.setLong(1, seq);
        put.setString(2, newText.toLowerCase(Locale.ROOT));
        put.executeUpdate();
    }

    private long indexedUpTo() throws SQLException {
        try (ResultSet r = progress.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /**
     * Outside a transaction: indexes up to {@value #CHUNK} records above the progress, in a
     * transaction of its own that also advances the progress.
     *
     * @throws SQLException if it fails (rolled back: the progress stays where it was)
     */
    void catchUp() throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                long from = indexedUpTo();
                long to = from;
                chunkEnd.setLong(1, from);
                chunkEnd.setInt(2, CHUNK);
                try (ResultSet r = chunkEnd.executeQuery()) {
                    if (r.next()) {
                        to = Math.max(from, r.getLong(1));
                    }
                }
                if (to > from) {
                    fill.setLong(1, from);
                    fill.setLong(2, to);
                    fill.executeUpdate();
                    advance.setLong(1, to);
                    advance.executeUpdate();
                }
                s.execute("COMMIT");
                // No record is ever deleted, so rowids have no gaps and to - from counts them (an
                // estimate at worst: a search reads whatever is left unindexed).
                long n = to - from;
                waiting = n < CHUNK ? 0 : Math.max(waiting - n, 1);
            } catch (SQLException | RuntimeException e) {
                Database.rollBack(s, e);
                throw e;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement p : List.of(put, delete, chunkEnd, fill, progress, advance)) {
            try {
                p.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * What a search for some words asks: the words, lower-cased, that a record's text must
     * contain, and the FTS5 expression that finds candidates (null if no word is long enough for
     * the trigram index).
     *
     * @param words every word, lower-cased with {@link Locale#ROOT}
     * @param match the MATCH expression, or null
     */
    record Query(List<String> words, String match) {
        /**
         * Whether a record's text contains every word: the search's definition, which the index
         * only narrows.
         *
         * @param text the record's text
         * @return whether it matches
         */
        boolean matches(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (!lower.contains(w)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The query of some words. The index has no positions ({@code detail=none}), so it cannot
     * match a word as a phrase of trigrams: it is asked for records holding each of the word's
     * trigrams (up to {@value #MAX_TRIGRAMS}), a superset that {@link Query#matches} narrows.
     * Words shorter than a trigram are only checked on the candidates.
     *
     * @param words the words, separated by white space
     * @return the query
     */
    static Query query(String words) {
        List<String> wanted = new ArrayList<>();
        Set<String> trigrams = new LinkedHashSet<>();
        for (String w : words.toLowerCase(Locale.ROOT).strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            wanted.add(w);
            int[] cps = w.codePoints().toArray();
            int taken = 0;
            for (int i = 0; i + 3 <= cps.length && taken < MAX_TRIGRAMS; i++) {
                if (trigrams.add(new String(cps, i, 3))) {
                    taken++;
                }
            }
        }
        StringBuilder match = new StringBuilder();
        for (String t : trigrams) {
            if (match.length() > 0) {
                match.append(" AND ");
            }
            match.append('"').append(t.replace("\"", "\"\"")).append('"');
        }
        return new Query(List.copyOf(wanted), match.length() == 0 ? null : match.toString());
    }
}
