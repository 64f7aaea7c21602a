package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts one connection's inbound byte stream into frames: a 4-byte big-endian length, then that
 * many bytes of payload.
 *
 * <p>The announced length is checked against the limit in force (at most the transport's maximum,
 * see {@link #limit(int)}) and for being negative before anything is allocated for the frame. Frames that fit in a read buffer are handed out in place, as a
 * read-only view of that buffer; a frame longer than a read buffer is read straight into a buffer
 * of exactly its (already checked) length. Bytes of an incomplete frame stay in the connection's
 * read buffer until the rest arrives.
 *
 * <p><b>Threading:</b> event-loop thread only.
 */
final class FrameDecoder {
    /** The remote side closed its end of the stream. */
    static final int EOF = -1;
    /** The remote side announced a frame over the maximum; see {@link #announcedLength()}. */
    static final int FRAME_TOO_LARGE = -2;
    /** The sink asked to stop delivering. */
    static final int STOPPED = -3;

    /** Bounds the reads per readiness event so one busy connection cannot starve the others. */
    private static final int MAX_READS = 8;
    private static final int PREFIX = 4;

    /** Receives decoded frames. */
    interface Sink {
        /**
         * Takes one frame.
         *
         * @param frame the payload between position and limit, valid only during this call
         * @return false to stop decoding (the connection is going away)
         */
        boolean onFrame(ByteBuffer frame);
    }

    private final int maxFrameBytes;
    /** The limit in force, at most {@link #maxFrameBytes}; written by any thread. */
    private volatile int limit;
    private final ReadBufferPool pool;
    private ReadBufferPool.Buffer carry;
    private ByteBuffer assembly;
    private int announced;
    private int announcedLimit;

    FrameDecoder(int maxFrameBytes, ReadBufferPool pool) {
        this.maxFrameBytes = maxFrameBytes;
        this.limit = maxFrameBytes;
        this.pool = pool;
    }

    /**
     * Sets the largest frame accepted from now on, capped at the maximum. Any thread; applies to
     * the length prefixes read after it.
     *
     * @param bytes the new limit, not negative
     */
    void limit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative frame limit: " + bytes);
        }
        limit = Math.min(bytes, maxFrameBytes);
    }

    /**
     * Returns the limit in force.
     *
     * @return the largest frame accepted now
     */
    int limit() {
        return limit;
    }

    /**
     * Reads what the channel has and delivers every complete frame.
     *
     * @param channel a non-blocking channel
     * @param sink where frames go
     * @return 0 or more when the stream is still open, else {@link #EOF},
     *     {@link #FRAME_TOO_LARGE} or {@link #STOPPED}
     * @throws IOException if reading fails
     */
    int readFrom(ReadableByteChannel channel, Sink sink) throws IOException {
        for (int round = 0; round < MAX_READS; round++) {
            if (assembly != null) {
                if (channel.read(assembly) < 0) {
                    return EOF;
                }
                if (assembly.hasRemaining()) {
                    return 0;
                }
                ByteBuffer whole = assembly.flip().asReadOnlyBuffer();
                assembly = null;
                if (!sink.onFrame(whole)) {
                    return STOPPED;
                }
                continue;
            }
            ReadBufferPool.Buffer b = carry != null ? carry : pool.take();
            carry = null;
            ByteBuffer data = b.data;
            int n = channel.read(data);
            if (n < 0) {
                pool.give(b);
                return EOF;
            }
            boolean filled = !data.hasRemaining();
            int status = decode(b, sink);
            if (status < 0) {
                pool.give(b);
                return status;
            }
            if (data.position() == 0) {
                pool.give(b);
            } else {
                carry = b;
            }
            if (!filled) {
                return 0;
            }
        }
        return 0;
    }

    /** Delivers the complete frames in the buffer and moves any incomplete tail to its start. */
    private int decode(ReadBufferPool.Buffer b, Sink sink) {
        ByteBuffer data = b.data;
        data.flip();
        while (data.remaining() >= PREFIX) {
            int pos = data.position();
            int length = data.getInt(pos);
            int max = limit;
            if (length < 0 || length > max) {
                announced = length;
                announcedLimit = max;
                return FRAME_TOO_LARGE;
            }
            int available = data.remaining() - PREFIX;
            if (available >= length) {
                int start = pos + PREFIX;
                int end = start + length;
                data.position(end);
                ByteBuffer view = b.view;
                view.limit(end).position(start);
                if (!sink.onFrame(view)) {
                    return STOPPED;
                }
            } else if (length > data.capacity() - PREFIX) {
                // Too long to ever fit the read buffer: read the rest in place, no second copy.
                assembly = ByteBuffer.allocate(length);
                data.position(pos + PREFIX);
                assembly.put(data);
                break;
            } else {
                break;
            }
        }
        data.compact();
        return 0;
    }

    /**
     * Returns the length the remote side announced when {@link #FRAME_TOO_LARGE} was returned.
     *
     * @return the offending length, as a signed int
     */
    int announcedLength() {
        return announced;
    }

    /**
     * Returns the limit in force when {@link #FRAME_TOO_LARGE} was returned.
     *
     * @return the limit the announced length exceeded
     */
    int announcedLimit() {
        return announcedLimit;
    }

    /** Gives back the buffers; the decoder must not be used afterwards. */
    void release() {
        if (carry != null) {
            pool.give(carry);
            carry = null;
        }
        assembly = null;
    }
}
