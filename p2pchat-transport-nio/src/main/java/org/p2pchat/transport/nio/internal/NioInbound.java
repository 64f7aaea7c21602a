package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of a {@link NioConnection}: reads, decodes, and calls the handler.
 *
 * <p><b>Threading:</b> event-loop thread only. A handler that throws is logged and its
 * connection closed with {@link Reason#PROTOCOL_ERROR} (the usual cause is input the layer above
 * could not make sense of); no frame is delivered after that, nor after an {@code abort}.
 */
final class NioInbound implements FrameDecoder.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(NioInbound.class);
    /** Anyone who reaches the port can announce a huge frame, as often as it connects. */
    private static final ThrottledLog OVERSIZED = new ThrottledLog(LOG);

    private final NioConnection connection;
    private final FrameDecoder decoder;
    private final int maxFrameBytes;
    private ConnectionHandler handler;
    private boolean delivered;
    private Throwable handlerFailure;
    private long lastReadTick;

    NioInbound(NioConnection connection, int maxFrameBytes, ReadBufferPool buffers, long now) {
        this.connection = connection;
        this.maxFrameBytes = maxFrameBytes;
        this.decoder = new FrameDecoder(maxFrameBytes, buffers);
        this.lastReadTick = now;
    }

    void handler(ConnectionHandler h) {
        this.handler = h;
    }

    ConnectionHandler handler() {
        return handler;
    }

    long lastReadTick() {
        return lastReadTick;
    }

    /**
     * Reads what is available and delivers every whole frame.
     *
     * @param channel the socket
     * @param now the loop iteration's ticker time, recorded if a frame arrived
     * @return null while the connection stays open, else why it must close
     */
    ConnectionClosedException read(SocketChannel channel, long now) {
        delivered = false;
        int status;
        try {
            status = decoder.readFrom(channel, this);
        } catch (IOException e) {
            return new ConnectionClosedException(Reason.IO_ERROR,
                    connection + " failed while reading: " + e.getMessage(), e);
        }
        if (delivered) {
            lastReadTick = now;
            connection.frameArrived();
            if (status != FrameDecoder.STOPPED && !readComplete()) {
                status = FrameDecoder.STOPPED;
            }
        }
        switch (status) {
            case FrameDecoder.EOF:
                return new ConnectionClosedException(Reason.REMOTE_CLOSE,
                        connection + " was closed by the remote side");
            case FrameDecoder.FRAME_TOO_LARGE:
                return tooLarge(decoder.announcedLength(), decoder.announcedLimit());
            case FrameDecoder.STOPPED:
                if (handlerFailure != null) {
                    return new ConnectionClosedException(Reason.PROTOCOL_ERROR, "the handler of "
                            + connection + " failed: " + handlerFailure, handlerFailure);
                }
                return connection.abortCause();
            default:
                return null;
        }
    }

    /** Any thread: see {@link FrameDecoder#limit(int)}. */
    void maxFrameBytes(int bytes) {
        decoder.limit(bytes);
    }

    private ConnectionClosedException tooLarge(int length, int limit) {
        String announced = length >= 0 ? Integer.toString(length)
                : length + " (0x" + Integer.toHexString(length) + ")";
        OVERSIZED.warn("{}: {} announced a frame of {} bytes, over the maximum of {}{}; closing it",
                connection.transportName(), connection, announced, limit,
                limit == maxFrameBytes ? "" : " set for this connection");
        return new ConnectionClosedException(Reason.FRAME_TOO_LARGE, connection
                + " announced a frame of " + announced + " bytes, over the maximum of " + limit
                + (limit == maxFrameBytes ? " (p2pchat.maxFrameBytes)"
                        : " set for this connection (p2pchat.maxFrameBytes is " + maxFrameBytes + ")"));
    }

    @Override
    public boolean onFrame(ByteBuffer frame) {
        delivered = true;
        try {
            handler.onFrame(connection, frame);
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: the handler of {} threw; closing only this connection",
                    connection.transportName(), connection, e);
            handlerFailure = e;
            return false;
        }
        return connection.abortCause() == null;
    }

    /** Tells the handler that this read's frames are all delivered; false if it threw. */
    private boolean readComplete() {
        try {
            handler.onReadComplete(connection);
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: the handler of {} threw in onReadComplete; closing only this connection",
                    connection.transportName(), connection, e);
            handlerFailure = e;
            return false;
        }
        return connection.abortCause() == null;
    }

    /** Tells the handler, exactly once, after the last frame. */
    void closed(ConnectionClosedException reason) {
        decoder.release();
        if (handler != null) {
            try {
                handler.onClosed(connection, reason);
            } catch (RuntimeException | Error e) {
                LOG.warn("{}: the handler of {} threw in onClosed", connection.transportName(),
                        connection, e);
            }
        }
    }
}
