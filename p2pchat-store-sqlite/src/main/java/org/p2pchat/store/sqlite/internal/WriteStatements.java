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
 * <p>Writer thread only. {@link #apply} changes nothing outside the transaction it runs in; a
 * statement that failed may have been closed by the driver, so after a failure the writer closes
 * this and prepares a new one.
 */
final class WriteStatements implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteStatements.class);

    private final List<AutoCloseable> all = new ArrayList<>();
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement upsertHistory;
    private final PreparedStatement updateState;
    private final PreparedStatement putOutbox;
    private final PreparedStatement acknowledge;
    private final PreparedStatement putReceived;
    private final PreparedStatement forgetReceived;
    private final PreparedStatement putPosition;
    private final PreparedStatement putValue;
    private final PreparedStatement removeValue;
    private final SearchIndex index;

    WriteStatements(Connection c) throws SQLException {
        boolean ok = false;
        try {
            begin = prepare(c, "BEGIN IMMEDIATE");
            commit = prepare(c, "COMMIT");
            upsertHistory = prepare(c, "INSERT INTO history (message_id, id_key,"
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
            updateState = prepare(c, "UPDATE history SET state = ? WHERE message_id = ?");
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
            index = new SearchIndex(c);
            all.add(index);
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
            updateState.setString(2, c.messageId());
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
        PreparedStatement p = upsertHistory;
        p.setString(1, r.messageId());
        p.setBytes(2, IdKey.of(r.messageId()));
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
            p.setNull(12, Types.INTEGER);
            p.setNull(13, Types.INTEGER);
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
        index.put(seq, r.text());
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
