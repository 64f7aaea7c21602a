package org.p2pchat.core.internal.runtime;

/**
 * Tells whether the current thread is running p2pchat's own work, on which peers may depend to
 * make progress: a node's timer or its own callback thread (marked for life), or any thread while
 * it runs a connection's frames or close, a connect's or a write's completion, a listener call or
 * a peer's teardown (marked for that long), which includes every stage callback the peer
 * triggers from there. A {@link org.p2pchat.api.Peer#close}
 * called on such a thread must not block it: the acknowledgements and reconnections it would wait
 * for may have to run on that very thread.
 *
 * <p>Marks for a span are taken and released around the work rather than kept, so that a thread
 * that runs p2pchat work only now and then (an application's executor, a test calling a handler
 * directly) is the application's again afterwards. The mark is shared by every peer of the JVM,
 * so that a stage callback of one peer that closes another does not stall the first one's loop
 * either. Thread-safe (the state is thread-confined); marking allocates nothing once a thread has
 * been marked before.
 */
public final class NodeThreads {
    private static final ThreadLocal<Boolean> MARKED = new ThreadLocal<>();

    private NodeThreads() {
    }

    /** Marks the current thread for its lifetime: the node created it. */
    static void markForLife() {
        MARKED.set(Boolean.TRUE);
    }

    /**
     * Marks the current thread until {@link #exit}; use in a {@code try}/{@code finally}.
     *
     * @return what to pass to {@link #exit}: true if this call marked the thread
     */
    public static boolean enter() {
        if (MARKED.get() != null) {
            return false;
        }
        MARKED.set(Boolean.TRUE);
        return true;
    }

    /**
     * Ends a span of work started by {@link #enter}.
     *
     * @param entered what {@code enter} returned
     */
    public static void exit(boolean entered) {
        if (entered) {
            // Set rather than removed: the thread keeps its entry, so the next span allocates none.
            MARKED.set(null);
        }
    }

    /**
     * Runs a task with the current thread marked.
     *
     * @param task the work
     */
    public static void runMarked(Runnable task) {
        boolean entered = enter();
        try {
            task.run();
        } finally {
            exit(entered);
        }
    }

    /** Tells whether the current thread is marked. */
    public static boolean current() {
        return MARKED.get() != null;
    }
}
