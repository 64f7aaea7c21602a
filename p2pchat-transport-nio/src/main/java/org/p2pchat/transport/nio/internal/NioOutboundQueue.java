package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ConnectionClosedException;

/**
 * One connection's outbound frames, already framed (length prefix and payload side by side) in
 * pooled {@link OutboundChunk}s, waiting for a gathering write.
 *
 * <p><b>Threading:</b> {@link #enqueue} is called from any thread and copies the frame under this
 * object's lock. At most one thread at a time owns the socket's write side: the event loop, or
 * (for the first frame into an idle queue, see {@link #enqueue}) the calling thread. The owner
 * snapshots what is queued under the lock, writes outside it while other threads keep appending
 * behind the snapshot, then advances under the lock. Ownership moves only under the lock, so a
 * frame queued while the owner lets go is never stranded.
 *
 * <p><b>Send stages</b> wait in {@link PendingSends} in frame order and leave it only under the
 * lock, each exactly once: written ones to the event loop ({@link #collectWritten}), all of them
 * when the connection is gone ({@link #dispose}), or, for a frame its sender wrote directly and
 * completely, to that sender ({@link #releaseFromCaller}). They are completed outside the lock.
 *
 * <p><b>Accounting:</b> the byte limit counts wire bytes, prefix included, so the memory a slow
 * reader can pin never exceeds {@code writeQueueLimitBytes}.
 */
final class NioOutboundQueue {
    /** {@link #enqueue} result: someone already owns the flush; nothing to do. */
    static final int QUEUED = 0;
    /** {@link #enqueue} result: the caller must hand the connection to the event loop. */
    static final int SCHEDULE = 1;
    /** {@link #enqueue} result: the caller now owns the flush and should write at once. */
    static final int WRITE_NOW = 2;
    /** {@link #releaseFromCaller} flag: the caller must hand the connection to the event loop. */
    static final int HAND_OVER = 1;
    /** {@link #releaseFromCaller} flag: the frame went out whole; its stage is the caller's. */
    static final int SENT = 2;
    /** Bytes in front of every payload. */
    static final int PREFIX = 4;

    private static final int IDLE = 0;
    private static final int LOOP = 1;
    private static final int CALLER = 2;
    /** 16 chunks of 64 KiB: one write call can hand the kernel up to 1 MiB. */
    private static final int MAX_GATHER = 16;

    private final ChunkPool pool;
    private final long limit;
    private final String fullMessage;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private final PendingSends sends = new PendingSends();
    private OutboundChunk head;
    private OutboundChunk tail;
    private int gathered;
    private long queued;
    private long enqueuedTotal;
    private long writtenTotal;
    private int owner = IDLE;
    private ConnectionClosedException refusal;
    private boolean disposed;
    /** Re-armed by the event loop whenever a frame arrives, see {@link #enqueue}. */
    private volatile boolean directAllowed = true;

    NioOutboundQueue(ChunkPool pool, long limit, String name) {
        this.pool = pool;
        this.limit = limit;
        this.fullMessage = "the write queue of " + name + " is full: it holds up to " + limit
                + " bytes (p2pchat.writeQueueLimitBytes); retry after earlier sends complete";
    }

    /**
     * Copies one frame (prefix and payload) into the queue and advances its position to its limit.
     *
     * <p>The caller may write directly only when the queue was idle, no send stage is pending
     * before this frame's, and a frame has arrived since its last direct write: that is the
     * request/response pattern, where skipping the hop to the event loop saves a thread wake-up.
     * A stream of one-way writes instead goes through the loop, which batches everything queued
     * meanwhile into one gathering write. After a direct write the caller calls
     * {@link #releaseFromCaller} with the same stage.
     *
     * @param frame the payload
     * @param stage completed when the frame has been written, or null (for {@code write})
     * @param mayWriteDirect whether the calling thread may write to the socket itself
     * @return {@link #QUEUED}, {@link #SCHEDULE} or {@link #WRITE_NOW}
     * @throws ConnectionClosedException if the connection is closing or closed
     * @throws org.p2pchat.api.WriteQueueFullException if the frame would take the queue over its limit
     */
    synchronized int enqueue(ByteBuffer frame, CompletableFuture<Void> stage, boolean mayWriteDirect) {
        if (refusal != null) {
            throw refusal;
        }
        int length = frame.remaining();
        long wire = PREFIX + (long) length;
        if (queued + wire > limit) {
            throw new QueueFullException(fullMessage);
        }
        OutboundChunk oldTail = tail;
        int oldWriteIndex = oldTail == null ? 0 : oldTail.writeIndex;
        try {
            append(frame, length);
        } catch (RuntimeException | Error e) {
            // Out of direct memory for a new chunk: leave no half frame behind to corrupt the stream.
            rollBack(oldTail, oldWriteIndex);
            throw e;
        }
        queued += wire;
        enqueuedTotal += wire;
        boolean noStageBefore = sends.isEmpty();
        if (stage != null) {
            sends.add(enqueuedTotal, stage);
        }
        if (owner != IDLE) {
            return QUEUED;
        }
        if (mayWriteDirect && directAllowed && noStageBefore) {
            owner = CALLER;
            directAllowed = false;
            return WRITE_NOW;
        }
        owner = LOOP;
        return SCHEDULE;
    }

    private void append(ByteBuffer src, int length) {
        OutboundChunk t = tail;
        if (t == null) {
            t = pool.take();
            head = t;
            tail = t;
        } else if (t.space() < PREFIX) {
            t = addChunk();
        }
        t.fill.putInt(t.writeIndex, length);
        t.writeIndex += PREFIX;
        int from = src.position();
        int left = length;
        while (left > 0) {
            if (t.space() == 0) {
                t = addChunk();
            }
            int n = Math.min(left, t.space());
            t.fill.put(t.writeIndex, src, from, n);
            t.writeIndex += n;
            from += n;
            left -= n;
        }
        src.position(src.limit());
    }

    private void rollBack(OutboundChunk oldTail, int oldWriteIndex) {
        OutboundChunk extra = oldTail == null ? head : oldTail.next;
        while (extra != null) {
            OutboundChunk next = extra.next;
            pool.give(extra);
            extra = next;
        }
        if (oldTail == null) {
            head = null;
        } else {
            oldTail.next = null;
            oldTail.writeIndex = oldWriteIndex;
        }
        tail = oldTail;
    }

    private OutboundChunk addChunk() {
        OutboundChunk c = pool.take();
        tail.next = c;
        tail = c;
        return c;
    }

    /** Makes the next {@link #enqueue} into an idle queue eligible for a direct write. */
    void allowDirect() {
        if (!directAllowed) {
            directAllowed = true;
        }
    }

    /** Whether the next frame into an idle queue may be written directly; for tests. */
    boolean directAllowed() {
        return directAllowed;
    }

    /**
     * Event loop: takes over the flush unless a calling thread is in the middle of one (it hands
     * over when done).
     *
     * @return true if the loop now owns the flush
     */
    synchronized boolean acquireForLoop() {
        if (owner == CALLER || disposed) {
            return false;
        }
        owner = LOOP;
        return true;
    }

    /**
     * Owner: snapshots up to {@code MAX_GATHER} chunks for one gathering write.
     *
     * @return the bytes the next {@link #writePrepared} will offer
     */
    synchronized long prepare() {
        int n = 0;
        long bytes = 0;
        for (OutboundChunk c = head; c != null && n < MAX_GATHER; c = c.next) {
            int pending = c.pending();
            if (pending == 0) {
                break;
            }
            c.drain.limit(c.writeIndex).position(c.readIndex);
            gather[n++] = c.drain;
            bytes += pending;
        }
        gathered = n;
        return bytes;
    }

    /**
     * Owner: writes the snapshot taken by {@link #prepare} outside the lock, then advances.
     *
     * @param channel the socket
     * @return the bytes written, possibly 0 when the socket buffer is full
     * @throws IOException if the write fails
     */
    long writePrepared(GatheringByteChannel channel) throws IOException {
        long written = channel.write(gather, 0, gathered);
        advance(written);
        return written;
    }

    private synchronized void advance(long written) {
        writtenTotal += written;
        queued -= written;
        for (int i = 0; i < gathered && !disposed; i++) {
            OutboundChunk c = head;
            c.readIndex = c.drain.position();
            if (c.readIndex < c.writeIndex) {
                break;
            }
            if (c == tail) {
                // Keep the last chunk: the next frame goes in at its start, no pool round trip.
                c.readIndex = 0;
                c.writeIndex = 0;
                break;
            }
            head = c.next;
            pool.give(c);
        }
    }

    /**
     * Event loop: lets go of the flush if everything has been written.
     *
     * @return true if the queue is empty (it is then idle), false if the loop still owns it
     */
    synchronized boolean releaseFromLoop() {
        if (queued > 0) {
            return false;
        }
        owner = IDLE;
        return true;
    }

    /**
     * Calling thread, after its direct write: takes its own stage back if its frame went out
     * completely, and hands the flush to the event loop when anything is left for it (bytes,
     * stages to complete, a close in progress, or an error to report there).
     *
     * <p>The stage is taken only if it is still the first one waiting (it always is, unless the
     * connection was disposed meanwhile and the loop fails it) and every byte of its frame was
     * written; otherwise it stays for the loop, exactly as if the loop had written the frame.
     *
     * @param failed whether the write threw
     * @param stage the stage the caller passed to {@link #enqueue}, or null
     * @return a combination of {@link #HAND_OVER} (schedule the connection on the event loop) and
     *     {@link #SENT} (the stage is no longer queued here: the caller completes it)
     */
    synchronized int releaseFromCaller(boolean failed, CompletableFuture<Void> stage) {
        if (disposed) {
            // dispose() took every stage, this one too; the loop fails them.
            owner = IDLE;
            recycle();
            return 0;
        }
        // A write that threw did not advance writtenTotal, so the frame does not count as written.
        int result = stage != null && sends.takeFirstIfWritten(stage, writtenTotal) ? SENT : 0;
        if (queued > 0 || failed || !sends.isEmpty() || refusal != null) {
            owner = LOOP;
            return result | HAND_OVER;
        }
        owner = IDLE;
        return result;
    }

    /**
     * Event loop: moves the stages of fully written frames to {@code out}, to be completed
     * outside the lock.
     *
     * @param out receives the stages
     */
    synchronized void collectWritten(List<CompletableFuture<Void>> out) {
        sends.takeWritten(writtenTotal, out);
    }

    /**
     * Refuses further frames from now on.
     *
     * @param reason what {@link #enqueue} throws
     * @return true if this call started the refusal
     */
    synchronized boolean refuse(ConnectionClosedException reason) {
        if (refusal != null) {
            return false;
        }
        refusal = reason;
        return true;
    }

    /**
     * Event loop, when the connection is gone: drops what is queued and hands back the stages
     * still waiting, to be failed outside the lock.
     *
     * @param reason what later writes throw
     * @param failed receives the stages
     */
    synchronized void dispose(ConnectionClosedException reason, List<CompletableFuture<Void>> failed) {
        refusal = reason;
        disposed = true;
        sends.takeAll(failed);
        if (owner != CALLER) {
            recycle();
        }
    }

    /** Chunks go back to the pool only when no thread can still be reading them. */
    private void recycle() {
        for (OutboundChunk c = head; c != null; ) {
            OutboundChunk next = c.next;
            pool.give(c);
            c = next;
        }
        head = null;
        tail = null;
        queued = 0;
    }

    /**
     * Returns the bytes queued and not yet written, prefixes included.
     *
     * @return the byte count
     */
    synchronized long queuedBytes() {
        return queued;
    }
}
