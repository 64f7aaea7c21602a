package org.p2pchat.store.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.p2pchat.api.PeerKey;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.RoomPosition;

/**
 * The reads of what delivery keeps beside the history: the outbox, the receive records, the
 * room positions and the named values, each read whole (they are read at start).
 *
 * <p>Thread-safe: any thread reads, each read on a connection of its own from the pool. A read
 * sees every write whose stage has completed.
 */
final class LedgerReads {
    private final ReaderPool readers;

    LedgerReads(ReaderPool readers) {
        this.readers = readers;
    }

    /** See {@link org.p2pchat.spi.MessageStore#outbox}. */
    List<OutboxRecord> outbox() {
        return readers.read("the outbox", c -> {
            List<OutboxRecord> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT peer, epoch, seq, kind, body, deadline_s,"
                            + " deadline_n, message_id FROM outbox ORDER BY peer, added")) {
                while (r.next()) {
                    all.add(new OutboxRecord(PeerKey.of(r.getBytes(1)), r.getLong(2),
                            r.getLong(3), (byte) r.getInt(4), r.getBytes(5),
                            Instant.ofEpochSecond(r.getLong(6), r.getInt(7)), r.getString(8)));
                }
            }
            return List.copyOf(all);
        });
    }

    /** See {@link org.p2pchat.spi.MessageStore#received}. */
    List<ReceiveRecord> received() {
        return readers.read("the receive records", c -> {
            List<ReceiveRecord> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT peer, epoch, delivered_up_to FROM received"
                                    + " ORDER BY peer, epoch")) {
                while (r.next()) {
                    all.add(new ReceiveRecord(PeerKey.of(r.getBytes(1)), r.getLong(2),
                            r.getLong(3)));
                }
            }
            return List.copyOf(all);
        });
    }

    /** See {@link org.p2pchat.spi.MessageStore#roomPositions}. */
    List<RoomPosition> roomPositions() {
        return readers.read("the room positions", c -> {
            List<RoomPosition> all = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT room_id, origin, incarnation, next"
                            + " FROM room_positions ORDER BY room_id, origin")) {
                while (r.next()) {
                    all.add(new RoomPosition(r.getString(1), PeerKey.of(r.getBytes(2)),
                            r.getLong(3), r.getLong(4)));
                }
            }
            return List.copyOf(all);
        });
    }

    /** See {@link org.p2pchat.spi.MessageStore#value}. */
    Optional<byte[]> value(String name) {
        return readers.read("the value " + name, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT value FROM named_values WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
                }
            }
        });
    }
}
