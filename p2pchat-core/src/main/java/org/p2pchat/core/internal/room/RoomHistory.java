package org.p2pchat.core.internal.room;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.RoomMessageId;
import org.p2pchat.spi.StoreWrite;

/**
 * Writes a room's messages to the store's history: each one received as it reaches the
 * listener (with the origin's position, see {@link StoredPositions}), each one published as
 * pending, then delivered or failed as its stage ends. Writes only queue (the store applies them
 * on its own thread), so any thread may call it.
 */
final class RoomHistory {
    private RoomHistory() {
    }

    /** The history id of a room message: unique across rooms, origins and incarnations. */
    static String idOf(RoomMessageId id) {
        return "r:" + id.origin() + "/" + id.incarnation() + "/" + id.seq();
    }

    static Conversation conversationOf(RoomState room) {
        return Conversation.room(room.id.toString(), room.name);
    }

    /**
     * A message reached the listener: its record, and where this peer now stands in its origin's
     * numbering, in one write, so that after a restart the store never says a message was
     * delivered that is not in the history, nor the other way round.
     *
     * @return completes when the store has it
     */
    static CompletionStage<Void> received(RoomState room, RoomMessage m) {
        return room.net.store().write(new StoreWrite().history(new HistoryRecord(idOf(m.id()),
                conversationOf(room), false, m.from(), m.fromKey(), m.text(), m.sentAt(),
                m.receivedAt(), DeliveryState.RECEIVED))
                .roomPosition(StoredPositions.of(room.id, m.id().origin(), m.id().incarnation(),
                        m.id().seq() + 1)));
    }

    static void published(RoomState room, RoomMessageId id, String text, Instant sentAt,
            CompletionStage<?> outcome) {
        String messageId = idOf(id);
        room.net.store().write(new StoreWrite().history(new HistoryRecord(messageId,
                conversationOf(room), true, room.net.selfName(), id.origin(), text, sentAt, null,
                DeliveryState.PENDING)));
        outcome.whenComplete((v, e) -> room.net.store().write(new StoreWrite().state(messageId,
                e == null ? DeliveryState.DELIVERED : DeliveryState.FAILED)));
    }
}
