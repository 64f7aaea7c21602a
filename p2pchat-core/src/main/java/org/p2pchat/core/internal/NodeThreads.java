package org.p2pchat.core.internal;

/**
 * Tells whether the current thread is one that p2pchat peers need in order to make progress: a
 * transport's event loop, a node's timer or its own callback thread (marked for good), or any
 * thread while it runs a listener call or a peer's closing (marked for that long). A
 * {@link ChatNode#close} called on such a thread must not block it: the acknowledgements and
 * reconnections it would wait for may have to run on that very thread.
 *
 * <p>The mark is per thread and shared by every peer of the JVM, so that a stage callback of one
 * peer that closes another does not stall the first one's loop either. Thread-safe (the state is
 * thread-confined).
 */
final class NodeThreads {
    private static final ThreadLocal<Boolean> MARKED = new ThreadLocal<>();

    private NodeThreads() {
    }

    /** Marks the current thread for its lifetime: it belongs to a peer or its transport. */
    static void markCurrent() {
        if (MARKED.get() == null) {
            MARKED.set(Boolean.TRUE);
        }
    }

    /**
     * Runs a task with the current thread marked, then restores its mark; for work a peer runs
     * on a thread it does not own (an application's callback executor).
     *
     * @param task the work
     */
    static void runMarked(Runnable task) {
        Boolean before = MARKED.get();
        MARKED.set(Boolean.TRUE);
        try {
            task.run();
        } finally {
            if (before == null) {
                MARKED.remove();
            }
        }
    }

    /** Tells whether the current thread is marked. */
    static boolean current() {
        return MARKED.get() != null;
    }
}
