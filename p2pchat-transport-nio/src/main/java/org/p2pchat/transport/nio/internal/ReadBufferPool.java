package org.p2pchat.transport.nio.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Read buffers of one event loop. A connection holds one only while it has the start of an
 * incomplete frame; otherwise the buffer goes back here right after the read, so idle
 * connections cost no buffer memory and a busy loop reuses the same few buffers.
 *
 * <p><b>Threading:</b> event-loop thread only; no locking.
 */
final class ReadBufferPool {
    /** Bytes per read buffer; frames up to this size minus the 4-byte prefix are never copied. */
    static final int SIZE = 64 * 1024;
    private static final int RETAIN = 16;

    private final ArrayDeque<Buffer> free = new ArrayDeque<>();

    /** A read buffer and the read-only view handed to handlers, made once and reused. */
    static final class Buffer {
        /** Filled by {@code read}; between reads it holds unconsumed bytes from position 0. */
        final ByteBuffer data = ByteBuffer.allocateDirect(SIZE);
        /** Positioned on one frame at a time for {@code ConnectionHandler.onFrame}. */
        final ByteBuffer view = data.asReadOnlyBuffer();
    }

    Buffer take() {
        Buffer b = free.pollFirst();
        return b != null ? b : new Buffer();
    }

    void give(Buffer buffer) {
        if (free.size() < RETAIN) {
            buffer.data.clear();
            free.addFirst(buffer);
        }
    }
}
