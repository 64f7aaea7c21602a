package org.p2pchat.transport.nio.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code send} stages of one write queue, each waiting for the cumulative byte offset at
 * which its frame ends to be handed to the operating system.
 *
 * <p><b>Threading:</b> guarded by the owning {@link NioOutboundQueue}'s lock. Stages are only
 * moved out here, each exactly once and in order, and completed outside the lock because
 * completing one runs the caller's dependent actions. The event loop completes them, except a
 * stage whose frame its sending thread wrote completely itself ({@link #takeFirstIfWritten}):
 * that thread completes it before {@code send} returns it, when nothing depends on it yet.
 */
final class PendingSends {
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    private static final class Entry {
        final long end;
        final CompletableFuture<Void> stage;

        Entry(long end, CompletableFuture<Void> stage) {
            this.end = end;
            this.stage = stage;
        }
    }

    void add(long end, CompletableFuture<Void> stage) {
        entries.addLast(new Entry(end, stage));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Moves the stages whose frames end at or before {@code written} to {@code out}. */
    void takeWritten(long written, List<CompletableFuture<Void>> out) {
        Entry e;
        while ((e = entries.peekFirst()) != null && e.end <= written) {
            out.add(entries.pollFirst().stage);
        }
    }

    /**
     * Removes {@code stage} if it is the first one waiting and its frame ends at or before
     * {@code written}. Allocates nothing.
     *
     * @param stage the stage of the frame the calling thread just wrote
     * @param written the bytes written so far, in total
     * @return true if the stage was removed: the caller now completes it
     */
    boolean takeFirstIfWritten(CompletableFuture<Void> stage, long written) {
        Entry e = entries.peekFirst();
        if (e == null || e.stage != stage || e.end > written) {
            return false;
        }
        entries.pollFirst();
        return true;
    }

    /** Moves every stage to {@code out}. */
    void takeAll(List<CompletableFuture<Void>> out) {
        Entry e;
        while ((e = entries.pollFirst()) != null) {
            out.add(e.stage);
        }
    }
}
