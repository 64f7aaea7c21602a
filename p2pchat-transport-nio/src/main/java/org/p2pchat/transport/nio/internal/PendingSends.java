package org.p2pchat.transport.nio.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code send} stages of one write queue, each waiting for the cumulative byte offset at
 * which its frame ends to be handed to the operating system.
 *
 * <p><b>Threading:</b> guarded by the owning {@link NioOutboundQueue}'s lock. Stages are only
 * moved out here; they are completed outside the lock, on the event loop, because completing one
 * runs the caller's dependent actions.
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

    /** Moves every stage to {@code out}. */
    void takeAll(List<CompletableFuture<Void>> out) {
        Entry e;
        while ((e = entries.pollFirst()) != null) {
            out.add(e.stage);
        }
    }
}
