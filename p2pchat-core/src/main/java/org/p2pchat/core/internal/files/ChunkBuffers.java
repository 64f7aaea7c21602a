package org.p2pchat.core.internal.files;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Buffers for received chunks on their way from the event loop to the file thread, used again
 * once written: a transfer moves one buffer per chunk, and as garbage that is the peer's largest
 * allocation by far, with pauses that chat messages would wait through. Keeps at most
 * {@code kept} buffers of {@code size} bytes; a chunk larger than that (a sender may send up to
 * the frame limit) gets one of its own. Thread-safe.
 */
final class ChunkBuffers {
    private final int size;
    private final ArrayBlockingQueue<ByteBuffer> free;

    ChunkBuffers(int size, int kept) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(Math.max(1, kept));
    }

    /** A cleared buffer of at least {@code bytes}, limited to them. */
    ByteBuffer take(int bytes) {
        ByteBuffer b = bytes <= size ? free.poll() : null;
        if (b == null) {
            b = ByteBuffer.allocate(Math.max(size, bytes));
        }
        return b.clear().limit(bytes);
    }

    /** Returns a buffer once its bytes are written; one of another size is left to the GC. */
    void give(ByteBuffer b) {
        if (b.capacity() == size) {
            free.offer(b);
        }
    }
}
