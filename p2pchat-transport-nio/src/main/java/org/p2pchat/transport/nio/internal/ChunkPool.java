package org.p2pchat.transport.nio.internal;

import java.util.ArrayDeque;

/**
 * Recycles {@link OutboundChunk}s between the connections of one transport, so steady traffic
 * allocates no direct memory.
 *
 * <p><b>Threading:</b> thread-safe. Taken by any thread that writes a frame (once per 64 KiB
 * queued, not per frame), returned by whichever thread drained the chunk.
 */
final class ChunkPool {
    private final ArrayDeque<OutboundChunk> free = new ArrayDeque<>();
    private final int retain;

    /**
     * Creates a pool.
     *
     * @param retain how many idle chunks to keep; more are left to the garbage collector so a
     *     burst does not pin its peak memory for ever
     */
    ChunkPool(int retain) {
        this.retain = retain;
    }

    synchronized OutboundChunk take() {
        OutboundChunk c = free.pollFirst();
        return c != null ? c : new OutboundChunk();
    }

    synchronized void give(OutboundChunk chunk) {
        if (free.size() < retain) {
            chunk.reset();
            free.addFirst(chunk);
        }
    }

    synchronized int idle() {
        return free.size();
    }
}
