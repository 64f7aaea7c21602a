package org.p2pchat.api;

/** Where a message stored in the history stands, in {@link HistoryRecord#state()}. */
public enum DeliveryState {
    /** Sent by this peer, not acknowledged yet. */
    PENDING,
    /** Sent by this peer and acknowledged: by the friend, or by every member of the room. */
    DELIVERED,
    /** Sent by this peer, and its send failed (delivery timeout, refused, closed). */
    FAILED,
    /** Received by this peer and handed to its listener. */
    RECEIVED
}
