package org.p2pchat.spi;

import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link MessageStore#write} changes, all or nothing: history records added or their
 * state changed, outbox entries added or acknowledged, what was delivered of a peer's or a room
 * origin's numbering, and named values (this peer's own numbering, say). Writing a message's
 * history record with its outbox entry, or a received message's record with the receive record
 * that covers it, in one write is what keeps them from disagreeing after a crash.
 *
 * <p>A store applies the parts in this order, whatever order they were added in: history records,
 * state changes, acknowledgements, outbox entries, receive records, forgotten receive records,
 * room positions, values. (So a write that removes a peer's outbox entries up to a number and
 * adds entries renumbered from below it keeps the new ones.)
 *
 * <p>A builder, not thread-safe: fill it on one thread, then hand it to the store, which owns it
 * from then on. Its accessors return its own lists, not copies (a write is read once, and on the
 * message path): do not change them.
 */
public final class StoreWrite {
    /** A history record's state changes. */
    public record StateChange(String messageId, DeliveryState state) {
        /** Validates. */
        public StateChange {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * Every outbox entry to a peer numbered by the process of {@code epoch} up to
     * {@code upToSeq} leaves the outbox.
     */
    public record Acknowledged(org.p2pchat.api.PeerKey peer, long epoch, long upToSeq) {
        /** Validates. */
        public Acknowledged {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** A named value set (or removed, with a null value). */
    public record Value(String name, byte[] value) {
        /** Validates and copies. */
        public Value {
            Objects.requireNonNull(name, "name");
            value = value == null ? null : value.clone();
        }

        /** Returns a copy of the value, or null if it is removed. */
        @Override
        public byte[] value() {
            return value == null ? null : value.clone();
        }
    }

    private List<HistoryRecord> history;
    private List<StateChange> states;
    private List<OutboxRecord> outbox;
    private List<Acknowledged> acknowledged;
    private List<ReceiveRecord> received;
    private List<Forgotten> forgotten;
    private List<RoomPosition> positions;
    private List<Value> values;

    /** Creates an empty write. */
    public StoreWrite() {
    }

    /**
     * Adds a history record; one with the id of a record already stored replaces it.
     *
     * @param record the record
     * @return this write
     */
    public StoreWrite history(HistoryRecord record) {
        history = add(history, Objects.requireNonNull(record, "record"));
        return this;
    }

    /**
     * Changes the state of a stored history record (nothing if there is none of that id).
     *
     * @param messageId the record's id
     * @param state its new state
     * @return this write
     */
    public StoreWrite state(String messageId, DeliveryState state) {
        states = add(states, new StateChange(messageId, state));
        return this;
    }

    /**
     * Adds an outbox entry; one with the peer, epoch and number of an entry already stored
     * replaces it.
     *
     * @param entry the entry
     * @return this write
     */
    public StoreWrite outbox(OutboxRecord entry) {
        outbox = add(outbox, Objects.requireNonNull(entry, "entry"));
        return this;
    }

    /**
     * Removes the outbox entries to a peer numbered up to a number: it acknowledged them, or they
     * were abandoned.
     *
     * @param peer the peer
     * @param epoch the epoch of the process that numbered them
     * @param upToSeq the highest number removed
     * @return this write
     */
    public StoreWrite acknowledged(org.p2pchat.api.PeerKey peer, long epoch, long upToSeq) {
        acknowledged = add(acknowledged, new Acknowledged(peer, epoch, upToSeq));
        return this;
    }

    /** The receive record of a peer's process that is no longer needed. */
    public record Forgotten(org.p2pchat.api.PeerKey peer, long epoch) {
        /** Validates. */
        public Forgotten {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /**
     * Records what was delivered of one process's numbering of a peer, replacing what was
     * recorded for that peer and epoch.
     *
     * @param record the record
     * @return this write
     */
    public StoreWrite received(ReceiveRecord record) {
        received = add(received, Objects.requireNonNull(record, "record"));
        return this;
    }

    /**
     * Removes the receive record of one process of a peer (one that cannot send again what it
     * numbered, or one beyond how many processes of a peer are remembered).
     *
     * @param peer the peer
     * @param epoch the process's epoch
     * @return this write
     */
    public StoreWrite forgetReceived(org.p2pchat.api.PeerKey peer, long epoch) {
        forgotten = add(forgotten, new Forgotten(peer, epoch));
        return this;
    }

    /**
     * Records where this peer stands in a room origin's numbering, replacing what was recorded.
     *
     * @param position the position
     * @return this write
     */
    public StoreWrite roomPosition(RoomPosition position) {
        positions = add(positions, Objects.requireNonNull(position, "position"));
        return this;
    }

    /**
     * Sets a named value, or removes it with null.
     *
     * @param name the name
     * @param value the bytes, or null
     * @return this write
     */
    public StoreWrite value(String name, byte[] value) {
        values = add(values, new Value(name, value));
        return this;
    }

    /** The history records added, in order. */
    public List<HistoryRecord> historyRecords() {
        return view(history);
    }

    /** The state changes, in order. */
    public List<StateChange> stateChanges() {
        return view(states);
    }

    /** The outbox entries added, in order. */
    public List<OutboxRecord> outboxEntries() {
        return view(outbox);
    }

    /** The acknowledgements, in order. */
    public List<Acknowledged> acknowledgements() {
        return view(acknowledged);
    }

    /** The receive records, in order. */
    public List<ReceiveRecord> receiveRecords() {
        return view(received);
    }

    /** The receive records removed, in order. */
    public List<Forgotten> forgottenReceived() {
        return view(forgotten);
    }

    /** The room positions, in order. */
    public List<RoomPosition> roomPositions() {
        return view(positions);
    }

    /** The values set or removed, in order. */
    public List<Value> values() {
        return view(values);
    }

    /** Whether this write changes nothing. */
    public boolean isEmpty() {
        return history == null && states == null && outbox == null && acknowledged == null
                && received == null && forgotten == null && positions == null && values == null;
    }

    /** Most writes fill one or two of the lists: the others are never made. */
    private static <T> List<T> add(List<T> list, T item) {
        List<T> to = list == null ? new ArrayList<>(2) : list;
        to.add(item);
        return to;
    }

    /** The list itself, not a copy: the store owns the write, and reads it once. */
    private static <T> List<T> view(List<T> list) {
        return list == null ? List.of() : list;
    }
}
