package org.p2pchat.core.internal.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time on an application-supplied executor (which may be a pool), fairly
 * across senders: each task belongs to a <em>lane</em> (the sender it is about), each lane runs
 * its tasks in submission order, and the lanes with tasks waiting take turns, one task each. So
 * listener callbacks are never concurrent and keep each sender's order whatever executor the
 * application gives, and a sender with a long backlog (a stranger flooding, say) does not hold
 * up the others: a sender's next message waits for at most one task of each other lane with
 * tasks waiting, never for a whole backlog. A task that throws is logged and the next one still runs.
 *
 * <p>If the executor rejects work, the tasks wait and are offered again on the node's timer after
 * a delay doubling from {@link #FIRST_RETRY_NANOS} to {@link #MAX_RETRY_NANOS}: each is a message
 * already acknowledged to its sender and counted against the sender's window, so dropping it
 * would lose the message and shrink the window for good. Once the timer refuses too (the node is
 * closing), the tasks are dropped.
 *
 * <p>Thread-safe: the event loop and the node's threads submit; tasks run on the executor's
 * threads, retries on the timer's.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The lane of tasks submitted without one. */
    private static final Object NO_LANE = new Object();

    private final Executor delegate;
    private final ScheduledExecutorService timer;
    /**
     * A task that runs in turns, one step per turn, as if it were that many tasks: a batch of a
     * sender's messages, say, so that one task can carry a frame's messages and still take turns
     * with the other lanes message by message.
     */
    public interface Steps {
        /** Runs the next step; one that throws is logged, and the steps after it still run. */
        void step();

        /**
         * Tells whether the next step is the last (a task has at least one).
         *
         * @return true if one step is left
         */
        boolean last();
    }

    /** The waiting tasks (Runnable or {@link Steps}) of each lane that has some; guarded by itself. */
    private final Map<Object, ArrayDeque<Object>> lanes = new HashMap<>();
    /** The lanes with tasks, in the order they take their turns; guarded by {@link #lanes}. */
    private final ArrayDeque<Object> turns = new ArrayDeque<>();
    /** Held from a successful claim until the drain ends, through every retry in between. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Runnable retry = this::submit;
    /** The delay before the next retry, 0 while the executor accepts; holder of scheduled only. */
    private long retryNanos;

    public SerialExecutor(Executor delegate, ScheduledExecutorService timer) {
        this.delegate = delegate;
        this.timer = timer;
    }

    @Override
    public void execute(Runnable task) {
        execute(NO_LANE, task);
    }

    /**
     * Queues a task in a lane: after the lane's earlier tasks, taking turns with other lanes.
     *
     * @param lane what the task is about (a sender's name); compared with {@code equals}
     * @param task the task
     */
    public void execute(Object lane, Runnable task) {
        enqueue(lane, task);
    }

    /**
     * Queues a task of several steps in a lane: each of its turns runs one step, and it stays at
     * the head of its lane until its last.
     *
     * @param lane what the task is about; compared with {@code equals}
     * @param steps the task
     */
    public void execute(Object lane, Steps steps) {
        enqueue(lane, steps);
    }

    private void enqueue(Object lane, Object task) {
        synchronized (lanes) {
            queueOf(lane).add(task);
        }
        schedule();
    }

    /** Lock held: the lane's queue, made (and the lane given a turn at the back) if it has none. */
    private ArrayDeque<Object> queueOf(Object lane) {
        ArrayDeque<Object> queue = lanes.get(lane);
        if (queue == null) {
            queue = new ArrayDeque<>();
            lanes.put(lane, queue);
            turns.add(lane);
        }
        return queue;
    }

    /** The next task: the head of the lane whose turn it is, which then goes to the back. */
    private Object next() {
        synchronized (lanes) {
            Object lane = turns.poll();
            if (lane == null) {
                return null;
            }
            ArrayDeque<Object> queue = lanes.get(lane);
            Object task = queue.peek();
            if (task instanceof Steps steps && !steps.last()) {
                // It stays at the head for its next turn; only the draining thread steps it.
                turns.add(lane);
                return task;
            }
            queue.poll();
            if (queue.isEmpty()) {
                lanes.remove(lane);
            } else {
                turns.add(lane);
            }
            return task;
        }
    }

    private int waiting() {
        synchronized (lanes) {
            return lanes.values().stream().mapToInt(ArrayDeque::size).sum();
        }
    }

    private boolean hasWaiting() {
        synchronized (lanes) {
            return !turns.isEmpty();
        }
    }

    private void schedule() {
        if (hasWaiting() && scheduled.compareAndSet(false, true)) {
            submit();
        }
    }

    /** Holding {@link #scheduled}: hands the queue to the executor, or retries later. */
    private void submit() {
        try {
            delegate.execute(drain);
        } catch (RejectedExecutionException e) {
            retryLater(e);
        }
    }

    private void retryLater(RejectedExecutionException e) {
        if (retryNanos == 0 && !timer.isShutdown()) {
            // One warning per streak: a retry every second would flood the log.
            LOG.warn("Callback executor rejected work; {} callbacks wait and are offered again"
                    + " until it accepts", waiting(), e);
        }
        // Set before the retry can run, on the timer's thread.
        retryNanos = retryNanos == 0 ? FIRST_RETRY_NANOS : Math.min(2 * retryNanos, MAX_RETRY_NANOS);
        try {
            timer.schedule(retry, retryNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // The node is closing: its listener is not called any more.
            LOG.debug("The node is closing; {} callbacks dropped", waiting());
            synchronized (lanes) {
                lanes.clear();
                turns.clear();
            }
            retryNanos = 0;
            scheduled.set(false);
        }
    }

    private void drain() {
        if (retryNanos != 0) {
            retryNanos = 0;
            LOG.info("Callback executor accepts work again");
        }
        // The executor may be the application's: its thread is the peer's only while it drains.
        boolean marked = NodeThreads.enter();
        try {
            for (Object task = next(); task != null; task = next()) {
                try {
                    if (task instanceof Steps steps) {
                        steps.step();
                    } else {
                        ((Runnable) task).run();
                    }
                } catch (RuntimeException | Error e) {
                    LOG.error("A message listener threw; it keeps receiving", e);
                }
            }
        } finally {
            NodeThreads.exit(marked);
            scheduled.set(false);
            schedule();
        }
    }
}
