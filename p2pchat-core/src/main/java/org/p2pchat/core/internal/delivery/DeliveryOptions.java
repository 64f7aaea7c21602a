package org.p2pchat.core.internal.delivery;

import java.time.Duration;

/**
 * How a {@code ChatNode} delivers messages reliably. An immutable value; every field is a
 * {@code p2pchat.*} setting (see {@code Settings}).
 *
 * @param deliveryTimeout how long a message may wait for its acknowledgement before its send
 *     fails
 * @param outboxLimitBytes the most unacknowledged message bytes held per friend
 * @param receiveWindowBytes the most message bytes received from one friend and not yet finished
 *     with by the listener
 * @param heartbeatInterval how long a connection may be silent while messages await an
 *     acknowledgement before a PING; three intervals without a frame close it
 * @param writeDeadline how long a message written to a connection may go unacknowledged before
 *     the connection closes as not reading
 * @param reconnectDelay the first delay after a failed connection attempt, doubled after each
 *     further failure
 * @param maxReconnectDelay the longest delay after attempts nobody answered (refused, timed out,
 *     unresolved)
 * @param maxHandshakeRetryDelay the longest delay after attempts that reached the friend's address
 *     but gave no working connection (handshake failed, or the connection was lost before the
 *     friend acknowledged anything)
 * @param maxFrameBytes the largest frame this peer sends or accepts
 * @param closeLinger how long closing waits for unacknowledged messages to be acknowledged
 *     before it fails them
 * @param inboundMemoryBytes the most heap all received messages the listener has not finished
 *     with may take, a quarter of it for strangers
 */
public record DeliveryOptions(Duration deliveryTimeout, long outboxLimitBytes,
        long receiveWindowBytes, Duration heartbeatInterval, Duration writeDeadline,
        Duration reconnectDelay, Duration maxReconnectDelay, Duration maxHandshakeRetryDelay,
        int maxFrameBytes, Duration closeLinger, long inboundMemoryBytes) {

    /** The largest plaintext of a DATA frame that carries several messages. */
    static final int BATCH_BYTES = 64 * 1024;

    /**
     * The period of a link's timer while it has messages to deliver: a quarter of the shortest
     * deadline it watches, between 5 ms and 1 s.
     *
     * @return nanoseconds
     */
    long tickNanos() {
        long shortest = Math.min(deliveryTimeout.toNanos(),
                Math.min(heartbeatInterval.toNanos(), writeDeadline.toNanos()));
        return Math.max(5_000_000L, Math.min(1_000_000_000L, shortest / 4));
    }
}
