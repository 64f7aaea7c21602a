package org.p2pchat.spi;

import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a peer keeps what must outlive a connection, and with a durable store a process: the
 * history of its conversations, the messages its peers have not acknowledged (its outbox), and
 * what it has delivered of each peer's numbering and each room origin's (its receive record).
 *
 * <p><b>Writes</b> are all or nothing: each {@link StoreWrite} is applied entirely or not at all,
 * in the order {@link #write} was called, and reads see it once its stage completed. A store may
 * commit several waiting writes together (group commit). The stage completes when the write is
 * as durable as the store promises: for the in-memory store, when it is applied; for a durable
 * one, when it is committed (each implementation says what survives a process crash and what a
 * power loss).
 *
 * <p><b>Threading.</b> Thread-safe. {@code write} never waits for the disk: a durable store
 * queues the work and completes the stage on its own thread; the in-memory store applies it and
 * completes the stage before returning. Either way, keep dependent actions short. Reads may
 * wait for the disk: call them off the network thread. {@link #close} waits for queued writes.
 */
public interface MessageStore extends AutoCloseable {

    /**
     * Tells whether what this store holds outlives the process. A peer keeps an outbox and
     * receive records only in a durable store: in memory its links already know them, and a
     * restart forgets both alike.
     *
     * @return true by default; false for the in-memory store
     */
    default boolean isDurable() {
        return true;
    }

    /**
     * Queues a write.
     *
     * @param write what to change, owned by the store from now on
     * @return completes once the write is applied and durable as this store promises; fails with
     *     {@link StoreException} if it could not be, and at once if the store is closed
     */
    CompletionStage<Void> write(StoreWrite write);

    /**
     * Reads a page of a conversation's history, newest first.
     *
     * @param conversation the conversation
     * @param query which page
     * @return the records, at most {@code query.limit()}
     * @throws StoreException if the store cannot be read
     */
    List<HistoryRecord> history(Conversation conversation, HistoryQuery query);

    /**
     * Lists the conversations that have history, the one with the latest message first (by
     * {@link HistoryRecord#sentAt()}, then message id, as history pages order), each with the
     * name of its latest record.
     *
     * @param limit the most conversations, 1 or more
     * @throws IllegalArgumentException if the limit is below 1
     * @return the conversations
     * @throws StoreException if the store cannot be read
     */
    List<Conversation> conversations(int limit);

    /**
     * Finds the history records whose text contains every word of a query, newest first.
     *
     * @param words the words (case-insensitive; white space separates them)
     * @param limit the most records, 1 or more
     * @return the records
     * @throws StoreException if the store cannot be read
     */
    List<HistoryRecord> search(String words, int limit);

    /**
     * Returns every outbox entry, grouped by peer, each peer's in the order they were added (an
     * entry that replaced one of the same key keeps that one's place).
     *
     * @return the entries
     * @throws StoreException if the store cannot be read
     */
    List<OutboxRecord> outbox();

    /**
     * Returns every receive record (one per peer and epoch).
     *
     * @return the records
     * @throws StoreException if the store cannot be read
     */
    List<ReceiveRecord> received();

    /**
     * Returns every room position.
     *
     * @return the positions
     * @throws StoreException if the store cannot be read
     */
    List<RoomPosition> roomPositions();

    /**
     * Returns a named value.
     *
     * @param name the name
     * @return the bytes, or empty if none is set
     * @throws StoreException if the store cannot be read
     */
    Optional<byte[]> value(String name);

    /**
     * Applies the writes still queued, then releases the store. Idempotent; later writes fail.
     */
    @Override
    void close();
}
