package org.p2pchat.spi;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.PeerAddress;

/**
 * One open connection of a {@link Transport}: writes whole frames, in order.
 *
 * <p><b>Threading:</b> every method is thread-safe and none blocks. Frames written from one thread
 * go out in the order of the calls; frames written concurrently from several threads go out whole
 * but in some interleaving.
 *
 * <p><b>Limits:</b> a frame longer than {@link TransportOptions#maxFrameBytes()} is refused with
 * {@link org.p2pchat.api.FrameTooLargeException}; when the bytes queued and not yet written would
 * exceed {@link TransportOptions#writeQueueLimitBytes()}, the frame is refused with
 * {@link org.p2pchat.api.WriteQueueFullException}. Refused frames are not queued.
 */
public interface Connection {

    /**
     * Returns an identifier unique among this transport's connections, for logs.
     *
     * @return the id
     */
    long id();

    /**
     * Returns the remote side's address (for accepted connections, its ephemeral port).
     *
     * @return the remote address
     */
    PeerAddress remoteAddress();

    /**
     * Returns this side's address.
     *
     * @return the local address
     */
    PeerAddress localAddress();

    /**
     * Tells whether the connection is still open; once false it stays false.
     *
     * @return true while open
     */
    boolean isOpen();

    /**
     * Queues one frame, copying its remaining bytes before returning; the caller may reuse the
     * buffer at once. Cheapest way to send: nothing is allocated per frame on the hot path.
     *
     * @param frame the payload, between position and limit; position is advanced to the limit
     * @throws org.p2pchat.api.FrameTooLargeException if it is longer than the maximum frame size
     * @throws org.p2pchat.api.WriteQueueFullException if the write queue is at its byte limit
     * @throws org.p2pchat.api.ConnectionClosedException if the connection is closed
     */
    void write(ByteBuffer frame);

    /**
     * Queues one frame like {@link #write}, and reports when it has been handed to the operating
     * system.
     *
     * <p>A transport may write the frame from the calling thread when the connection has nothing
     * else queued (typically a reply in a request/response exchange). If the whole frame was
     * written at once, the returned stage is already complete: it was completed on the calling
     * thread, and actions chained to it run on the thread that chains them. Otherwise the stage
     * completes, or fails, later on the transport's event-loop thread. Either way, the stages of
     * one connection complete in the order their frames were queued, each exactly once.
     *
     * @param frame the payload, between position and limit; copied before this method returns
     * @return a stage completed once the whole frame is written, or failed with the exception
     *     {@link #write} would throw, or with the
     *     {@link org.p2pchat.api.ConnectionClosedException} that closed the connection first
     */
    CompletionStage<Void> send(ByteBuffer frame);

    /**
     * Sets the largest frame this connection accepts from now on, at most
     * {@link TransportOptions#maxFrameBytes()} (larger values are capped); a frame announced beyond
     * it closes the connection with
     * {@link org.p2pchat.api.ConnectionClosedException.Reason#FRAME_TOO_LARGE} before anything is
     * allocated for it, as the transport-wide maximum does. The layer above uses it to keep
     * unauthenticated peers to small frames, for instance during a handshake.
     *
     * <p>Thread-safe; takes effect for frames whose length prefix has not been read yet (called
     * from the handler's {@code onFrame}, it applies from the next frame on).
     *
     * @param bytes the new limit, not negative
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    void maxInboundFrameBytes(int bytes);

    /**
     * Closes the connection. Frames already queued are written first, for up to the transport's
     * close timeout; the handler then sees
     * {@link org.p2pchat.api.ConnectionClosedException.Reason#LOCAL_CLOSE}. Idempotent.
     */
    void close();

    /**
     * Closes the connection at once, dropping queued frames (their stages fail), with the given
     * reason reported to the handler. Used when the layer above finds the remote side misbehaving.
     * Called from the connection's handler, it ends delivery: the handler gets no further frame or
     * read completion, only {@code onClosed}.
     *
     * @param reason why, for the handler and the log
     */
    void abort(org.p2pchat.api.ConnectionClosedException reason);
}
