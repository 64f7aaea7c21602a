package org.p2pchat.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds the executors listener callbacks run on. Stateless and thread-safe. */
public final class SerialCallbacks {
    private SerialCallbacks() {
    }

    /**
     * Wraps an executor so its tasks run one at a time, in order, with exceptions logged; tasks
     * it rejects are offered again later, on {@code timer}, until it accepts them or the timer
     * is shut down.
     *
     * @param executor the executor tasks run on
     * @param timer where retries are scheduled
     * @return the serial executor
     */
    public static Executor serial(Executor executor, ScheduledExecutorService timer) {
        return new SerialExecutor(executor, timer);
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
