package org.p2pchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.RoomPosition;
import org.p2pchat.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer connection's prepared statements, kept for the connection's life (preparing is
 * most of a small statement's cost), and how a {@link StoreWrite} becomes them.
 *
 * <p>Writer thread only. {@link #apply} changes nothing outside the transaction it runs in (but
 * for telling the search index that records wait for it, an estimate); a
 * statement that failed may have been closed by the driver, so after a failure the writer closes
 * this and prepares a new one.
 */
final class WriteStatements implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteStatements.class);

    private final List<AutoCloseable> all = new ArrayList<>();
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement insertHistory;
    private final PreparedStatement storedHistory;
    private final PreparedStatement replaceHistory;
    private final PreparedStatement updateState;
    private final PreparedStatement putOutbox;
    private final PreparedStatement acknowledge;
    private final PreparedStatement putReceived;
    private final PreparedStatement forgetReceived;
    private final PreparedStatement putPosition;
    private final PreparedStatement putValue;
    private final PreparedStatement removeValue;
    private final SearchIndex index;

    /**
     * Prepares the statements.
     *
     * @param c the writer connection
     * @param index the search index, told of each record inserted
     * @throws SQLException if one cannot be prepared (those prepared are closed)
     */
    WriteStatements(Connection c, SearchIndex index) throws SQLException {
        this.index = index;
        boolean ok = false;
        try {
            begin = prepare(c, "BEGIN IMMEDIATE");
            commit = prepare(c, "COMMIT");
            // DO NOTHING, not an upsert: no RETURNING to read on the common path, a new record.
            // A record of a stored id (rare) is replaced by replaceHistory instead.
            insertHistory = prepare(c, "INSERT INTO history (id_key, conv_kind, conv_id,"
                    + " conv_name, outgoing, sender, sender_key, text, sent_s, sent_n,"
                    + " received_s, received_n, state)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id_key) DO NOTHING");
            storedHistory = prepare(c, "SELECT seq, text FROM history WHERE id_key = ?");
            replaceHistory = prepare(c, "UPDATE history SET id_key = ?, conv_kind = ?,"
                    + " conv_id = ?, conv_name = ?, outgoing = ?, sender = ?, sender_key = ?,"
                    + " text = ?, sent_s = ?, sent_n = ?, received_s = ?, received_n = ?,"
                    + " state = ? WHERE id_key = ?1");
            updateState = prepare(c, "UPDATE history SET state = ? WHERE id_key = ?");
            // An upsert, not INSERT OR REPLACE: a replaced entry keeps its rowid, which is its
            // place in the insertion order; a new one gets a rowid above every other entry's,
            // the last place.
            putOutbox = prepare(c, "INSERT INTO outbox (peer, epoch, seq, kind, body,"
                    + " deadline_s, deadline_n, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (peer, epoch, seq) DO UPDATE SET kind = excluded.kind,"
                    + " body = excluded.body, deadline_s = excluded.deadline_s,"
                    + " deadline_n = excluded.deadline_n, message_id = excluded.message_id");
            acknowledge = prepare(c,
                    "DELETE FROM outbox WHERE peer = ? AND epoch = ? AND seq <= ?");
            putReceived = prepare(c, "INSERT OR REPLACE INTO received (peer, epoch,"
                    + " delivered_up_to) VALUES (?, ?, ?)");
            forgetReceived = prepare(c, "DELETE FROM received WHERE peer = ? AND epoch = ?");
            putPosition = prepare(c, "INSERT OR REPLACE INTO room_positions (room_id,"
                    + " origin, incarnation, next) VALUES (?, ?, ?, ?)");
            putValue = prepare(c,
                    "INSERT OR REPLACE INTO named_values (name, value) VALUES (?, ?)");
            removeValue = prepare(c, "DELETE FROM named_values WHERE name = ?");
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        all.add(p);
        return p;
    }

    /** Begins a write transaction. */
    void begin() throws SQLException {
        begin.execute();
    }

    /** Commits the transaction begun. */
    void commit() throws SQLException {
        commit.execute();
    }

    /**
     * Inside a transaction: applies one write, in {@link StoreWrite}'s order.
     *
     * @param w the write
     * @throws SQLException if a statement fails (the transaction must then be rolled back)
     */
    void apply(StoreWrite w) throws SQLException {
        for (HistoryRecord r : w.historyRecords()) {
            putHistory(r);
        }
        for (StoreWrite.StateChange c : w.stateChanges()) {
            updateState.setString(1, c.state().name());
            updateState.setBytes(2, IdKey.of(c.messageId()));
            updateState.executeUpdate();
        }
        // Acknowledgements before entries: entries renumbered below an acknowledged number in
        // the same write stay.
        for (StoreWrite.Acknowledged a : w.acknowledgements()) {
            acknowledge.setBytes(1, a.peer().bytes());
            acknowledge.setLong(2, a.epoch());
            acknowledge.setLong(3, a.upToSeq());
            acknowledge.executeUpdate();
        }
        for (OutboxRecord e : w.outboxEntries()) {
            PreparedStatement p = putOutbox;
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
            putReceived.setBytes(1, r.peer().bytes());
            putReceived.setLong(2, r.epoch());
            putReceived.setLong(3, r.deliveredUpTo());
            putReceived.executeUpdate();
        }
        for (StoreWrite.Forgotten f : w.forgottenReceived()) {
            forgetReceived.setBytes(1, f.peer().bytes());
            forgetReceived.setLong(2, f.epoch());
            forgetReceived.executeUpdate();
        }
        for (RoomPosition r : w.roomPositions()) {
            putPosition.setString(1, r.roomId());
            putPosition.setBytes(2, r.origin().bytes());
            putPosition.setLong(3, r.incarnation());
            putPosition.setLong(4, r.next());
            putPosition.executeUpdate();
        }
        for (StoreWrite.Value v : w.values()) {
            byte[] bytes = v.value();
            if (bytes == null) {
                removeValue.setString(1, v.name());
                removeValue.executeUpdate();
            } else {
                putValue.setString(1, v.name());
                putValue.setBytes(2, bytes);
                putValue.executeUpdate();
            }
        }
    }

    private void putHistory(HistoryRecord r) throws SQLException {
        byte[] key = IdKey.of(r.messageId());
        bindRecord(insertHistory, key, r);
        if (insertHistory.executeUpdate() == 1) {
            index.inserted();
            return;
        }
        // The old text first: the search index may hold it.
        long seq;
        String oldText;
        storedHistory.setBytes(1, key);
        try (ResultSet rs = storedHistory.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the history record " + r.messageId()
                        + " conflicted with one that is not there");
            }
            seq = rs.getLong(1);
            oldText = rs.getString(2);
        }
        bindRecord(replaceHistory, key, r);
        replaceHistory.executeUpdate();
        index.replaced(seq, oldText, r.text());
    }

    /** Binds a record's columns, the key first, in the order of insertHistory. */
    private static void bindRecord(PreparedStatement p, byte[] key, HistoryRecord r)
            throws SQLException {
        p.setBytes(1, key);
        p.setString(2, r.conversation().kind().name());
        p.setString(3, r.conversation().id());
        p.setString(4, r.conversation().name());
        p.setInt(5, r.outgoing() ? 1 : 0);
        p.setString(6, r.sender());
        p.setBytes(7, r.senderKey().bytes());
        p.setString(8, r.text());
        p.setLong(9, r.sentAt().getEpochSecond());
        p.setInt(10, r.sentAt().getNano());
        if (r.receivedAt() == null) {
            p.setNull(11, Types.INTEGER);
            p.setNull(12, Types.INTEGER);
        } else {
            p.setLong(11, r.receivedAt().getEpochSecond());
            p.setInt(12, r.receivedAt().getNano());
        }
        p.setString(13, r.state().name());
    }

    /** Closes every statement, ignoring failures: the connection stays usable. */
    @Override
    public void close() {
        for (AutoCloseable p : all) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.debug("closing a statement failed: {}", e.toString());
            }
        }
    }
}
