package org.p2pchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The full-text search index, {@code history_fts}: a contentless FTS5 trigram index of each
 * history record's text lower-cased with {@link Locale#ROOT}, keyed by the record's rowid.
 *
 * <p>An instance holds the writer connection's statement that fills the index: writer thread
 * only. The static {@link #query} turns a search's words into what the index is asked, for any
 * thread. Guarantee: every committed record's text is in the index (written in the same
 * transaction as the record), so a search finds every committed record.
 */
final class SearchIndex implements AutoCloseable {
    private final PreparedStatement put;

    SearchIndex(Connection writer) throws SQLException {
        put = writer.prepareStatement(
                "INSERT OR REPLACE INTO history_fts (rowid, body) VALUES (?, ?)");
    }

    /**
     * Writer thread, inside a transaction: indexes a record's text.
     *
     * @param seq the record's rowid
     * @param text its text
     * @throws SQLException if it fails
     */
    void put(long seq, String text) throws SQLException {
        put.setLong(1, seq);
        put.setString(2, text.toLowerCase(Locale.ROOT));
        put.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        put.close();
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
     * The query of some words: words of three characters or more are looked up in the trigram
     * index; shorter ones are only checked on the candidates.
     *
     * @param words the words, separated by white space
     * @return the query
     */
    static Query query(String words) {
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
        return new Query(List.copyOf(wanted), match.length() == 0 ? null : match.toString());
    }
}
