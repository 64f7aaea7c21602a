package org.p2pchat.core.internal.runtime;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the threads listener callbacks and the timer run on, marked as the peer's own. Stateless and thread-safe. */
public final class SerialCallbacks {
    private SerialCallbacks() {
    }

    /**
     * Returns a factory of daemon threads named after a peer, for the default callback executor
     * and the node's timer. Its threads count as the peer's own (see {@link NodeThreads}).
     *
     * @param peerName the peer's name
     * @return the thread factory
     */
    public static ThreadFactory daemonThreads(String peerName) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Runnable marked = () -> {
                NodeThreads.markForLife();
                task.run();
            };
            Thread t = new Thread(marked, "p2pchat-" + peerName + "-callbacks"
                    + (count.getAndIncrement() == 0 ? "" : "-" + count.get()));
            t.setDaemon(true);
            return t;
        };
    }
}
