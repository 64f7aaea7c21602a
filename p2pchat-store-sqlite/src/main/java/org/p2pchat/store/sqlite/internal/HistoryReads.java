package org.p2pchat.store.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.PeerKey;

/**
 * The history's reads: a conversation's pages, the conversations, and search.
 *
 * <p>Thread-safe: any thread reads, each read on a connection of its own from the pool. A read
 * sees every write whose stage has completed.
 */
final class HistoryReads {
    static final String RECORD_COLUMNS = "id_key, conv_kind, conv_id, conv_name,"
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

    private final ReaderPool readers;

    HistoryReads(ReaderPool readers) {
        this.readers = readers;
    }

    /** See {@link org.p2pchat.spi.MessageStore#history}. */
    List<HistoryRecord> history(Conversation conversation, HistoryQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + RECORD_COLUMNS
                + " FROM history WHERE conv_kind = ? AND conv_id = ?");
        if (query.beforeSentAt() != null) {
            sql.append(" AND (sent_s, sent_n, id_key) < (?, ?, ?)");
        }
        if (query.since() != null) {
            sql.append(" AND (sent_s, sent_n) >= (?, ?)");
        }
        sql.append(NEWEST_FIRST).append(" LIMIT ?");
        return readers.read("history", c -> {
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                int i = 1;
                p.setString(i++, conversation.kind().name());
                p.setString(i++, conversation.id());
                if (query.beforeSentAt() != null) {
                    p.setLong(i++, query.beforeSentAt().getEpochSecond());
                    p.setInt(i++, query.beforeSentAt().getNano());
                    p.setBytes(i++, IdKey.of(query.beforeId()));
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

    /** See {@link org.p2pchat.spi.MessageStore#conversations}. */
    List<Conversation> conversations(int limit) {
        return readers.read("the conversations", c -> {
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

    /** See {@link SqliteStore#search}. */
    List<HistoryRecord> search(String words, int limit) {
        SearchIndex.Query q = SearchIndex.query(words);
        String sql = q.match() == null
                ? "SELECT " + RECORD_COLUMNS + " FROM history" + NEWEST_FIRST
                : "SELECT " + RECORD_COLUMNS + " FROM history WHERE " + SearchIndex.SEARCH
                        + NEWEST_FIRST;
        return readers.read("the search index", c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (q.match() != null) {
                    p.setString(1, q.match());
                }
                List<HistoryRecord> found = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (found.size() < limit && r.next()) {
                        if (q.matches(r.getString(8))) {
                            found.add(record(r));
                        }
                    }
                }
                return List.copyOf(found);
            }
        });
    }

    /** The record of a row of {@link #RECORD_COLUMNS}. */
    private static HistoryRecord record(ResultSet r) throws SQLException {
        String kind = r.getString(2);
        Conversation conversation = new Conversation(Conversation.Kind.valueOf(kind),
                r.getString(3), r.getString(4));
        long receivedS = r.getLong(11);
        Instant receivedAt = r.wasNull() ? null : Instant.ofEpochSecond(receivedS, r.getInt(12));
        return new HistoryRecord(IdKey.id(r.getBytes(1)), conversation, r.getInt(5) != 0, r.getString(6),
                PeerKey.of(r.getBytes(7)), r.getString(8),
                Instant.ofEpochSecond(r.getLong(9), r.getInt(10)), receivedAt,
                DeliveryState.valueOf(r.getString(13)));
    }
}
