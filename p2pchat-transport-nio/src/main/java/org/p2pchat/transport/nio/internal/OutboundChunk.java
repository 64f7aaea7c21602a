package org.p2pchat.transport.nio.internal;

import java.nio.ByteBuffer;

/**
 * One pooled block of a connection's write queue: frames are copied in back to back and leave
 * from {@code readIndex} up to {@code writeIndex}.
 *
 * <p><b>Threading:</b> guarded by the owning {@link NioOutboundQueue}'s lock, except that the
 * queue's current flusher reads the bytes through {@link #drain} outside the lock. That is safe
 * because writers only ever add bytes past {@code writeIndex}, which the flusher never reads.
 */
final class OutboundChunk {
    /** Bytes per chunk: large enough that one gathering write carries many small frames. */
    static final int SIZE = 64 * 1024;

    /** Written with absolute puts only, so its position and limit never move. */
    final ByteBuffer fill;
    /** A second view of the same memory whose position and limit the flusher sets. */
    final ByteBuffer drain;
    int readIndex;
    int writeIndex;
    OutboundChunk next;

    OutboundChunk() {
        this.fill = ByteBuffer.allocateDirect(SIZE);
        this.drain = fill.duplicate();
    }

    int space() {
        return SIZE - writeIndex;
    }

    int pending() {
        return writeIndex - readIndex;
    }

    void reset() {
        readIndex = 0;
        writeIndex = 0;
        next = null;
    }
}
