package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of a conversation's history, sent or received. An immutable value.
 *
 * @param messageId unique among all of this peer's records: for a direct message the sender's key,
 *     epoch and number, for a room message its {@link org.p2pchat.api.RoomMessageId}, as text
 * @param conversation the conversation it belongs to
 * @param outgoing whether this peer sent it
 * @param sender the sender's name when it was written
 * @param senderKey the sender's key
 * @param text the text
 * @param sentAt when the sender sent it, by the sender's clock (a room message's signed time), or
 *     this peer's for its own
 * @param receivedAt when this peer received it, or null for one it sent
 * @param state where it stands
 */
public record HistoryRecord(String messageId, Conversation conversation, boolean outgoing,
        String sender, PeerKey senderKey, String text, Instant sentAt, Instant receivedAt,
        DeliveryState state) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if any but {@code receivedAt} is null
     */
    public HistoryRecord {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(senderKey, "senderKey");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(state, "state");
    }

    /**
     * Returns this record with another state.
     *
     * @param newState the state
     * @return the record
     */
    public HistoryRecord withState(DeliveryState newState) {
        return new HistoryRecord(messageId, conversation, outgoing, sender, senderKey, text,
                sentAt, receivedAt, newState);
    }
}
