package org.p2pchat.spi;

import java.nio.ByteBuffer;
import org.p2pchat.api.ConnectionClosedException;

/**
 * Receives what happens on one connection.
 *
 * <p><b>Threading:</b> called only on the transport's event-loop thread, one call at a time, so an
 * implementation needs no locking for state that only these callbacks touch. It must not block:
 * hand slow work to another thread. If it throws, the transport logs the exception and closes the
 * connection.
 */
public interface ConnectionHandler {

    /**
     * Called for each frame received, in order.
     *
     * @param connection the connection it arrived on
     * @param frame the frame's payload, between position and limit; read-only and valid only
     *     during this call (the transport reuses the memory), so copy what you keep. The position
     *     is not necessarily 0 and the buffer may be direct, with {@code hasArray()} false: read
     *     only the bytes between position and limit, through the buffer's own methods, without
     *     assuming a backing array or a position of 0
     */
    void onFrame(Connection connection, ByteBuffer frame);

    /**
     * Called after a run of {@link #onFrame} calls that arrived together (one read from the
     * network), before the transport waits for more. A handler that answers frames can answer
     * the whole run at once here, as Netty's {@code channelReadComplete} allows: under load one
     * reply then covers many frames. Transports call it at least once after every frame, possibly
     * after each one. The default does nothing.
     *
     * @param connection the connection the frames arrived on
     */
    default void onReadComplete(Connection connection) {
    }

    /**
     * Called exactly once when the connection closes, for whatever reason, after its last frame.
     *
     * @param connection the connection
     * @param reason why it closed
     */
    void onClosed(Connection connection, ConnectionClosedException reason);
}
