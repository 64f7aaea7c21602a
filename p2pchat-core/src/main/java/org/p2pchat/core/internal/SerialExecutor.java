package org.p2pchat.core.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an application-supplied executor (which may
 * be a pool): this is what keeps listener callbacks ordered and never concurrent whatever executor
 * the application gives. A task that throws is logged and the next one still runs. Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                delegate.execute(drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("Callback executor rejected work; {} callbacks dropped", tasks.size(), e);
                tasks.clear();
            }
        }
    }

    private void drain() {
        try {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("A message listener threw; it keeps receiving", e);
                }
            }
        } finally {
            scheduled.set(false);
            schedule();
        }
    }
}
