package org.p2pchat.core.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.testkit.ManualTicker;

/**
 * A timer on simulated time: its tasks run only when a test runs them, on the test's thread.
 * {@link #advance} moves the clock, running each task when its time comes (and moving the
 * {@link ManualTicker} it was given in step, so code that reads the ticker sees the same time);
 * {@link #runPending} runs what is scheduled whatever its delay. It records the delay each task
 * was scheduled with. Supports {@link #schedule(Runnable, long, TimeUnit)},
 * {@link #scheduleWithFixedDelay}, cancelling and shutting down. Not thread-safe: the test thread
 * alone uses it.
 */
public final class ManualScheduler extends AbstractExecutorService
        implements ScheduledExecutorService {
    private final ManualTicker ticker;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final List<Long> delaysMillis = new ArrayList<>();
    private long now;
    private long order;
    private boolean shutdown;

    /** A scheduler whose simulated time is seen by nothing else. */
    public ManualScheduler() {
        this(new ManualTicker());
    }

    /**
     * A scheduler that moves a ticker along with its simulated time.
     *
     * @param ticker advanced as the scheduler's time advances
     */
    public ManualScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
            long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay " + delay);
        }
        return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    private Task add(Runnable command, long delayNanos, long periodNanos) {
        if (shutdown) {
            throw new RejectedExecutionException("the timer is shut down");
        }
        delaysMillis.add(TimeUnit.NANOSECONDS.toMillis(delayNanos));
        Task t = new Task(command, now + Math.max(0, delayNanos), periodNanos, order++);
        queue.add(t);
        return t;
    }

    /**
     * Runs the tasks scheduled so far, whatever their delay, without moving the clock; those they
     * schedule wait.
     *
     * @return how many ran
     */
    public int runPending() {
        List<Task> due = new ArrayList<>(queue);
        queue.clear();
        due.sort(null);
        for (Task t : due) {
            run(t);
        }
        return due.size();
    }

    /**
     * Moves the clock forward, running every task that comes due on the way at its time, in
     * order, including the ones those tasks schedule.
     *
     * @param by how far
     */
    public void advance(Duration by) {
        long end = now + by.toNanos();
        for (Task t = queue.peek(); t != null && t.due - end <= 0; t = queue.peek()) {
            queue.poll();
            moveTo(t.due);
            run(t);
        }
        moveTo(end);
    }

    /**
     * Runs the next task at its time.
     *
     * @return false if nothing is scheduled
     */
    public boolean runNext() {
        Task t = queue.poll();
        if (t == null) {
            return false;
        }
        moveTo(t.due);
        run(t);
        return true;
    }

    private void moveTo(long time) {
        if (time - now > 0) {
            ticker.advance(Duration.ofNanos(time - now));
            now = time;
        }
    }

    private void run(Task t) {
        if (t.isCancelled()) {
            return;
        }
        t.command.run();
        if (t.period > 0 && !t.isCancelled() && !shutdown) {
            queue.add(new Task(t, now + t.period, order++));
        } else {
            t.first.done = true;
        }
    }

    /** The simulated time, in nanoseconds since the scheduler was made. */
    public long nanos() {
        return now;
    }

    /** How many tasks are scheduled and not cancelled. */
    int pendingCount() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    /** The delays of every task scheduled so far, in milliseconds, in scheduling order. */
    public List<Long> delaysMillis() {
        return List.copyOf(delaysMillis);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        queue.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
            TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    /**
     * One scheduled run; a periodic task's later runs are new {@code Task}s sharing its
     * cancellation, so cancelling the future the code under test holds stops them all.
     */
    private static final class Task implements ScheduledFuture<Object> {
        private final Runnable command;
        private final long due;
        private final long period;
        private final long order;
        private final Task first;
        private boolean cancelled;
        private boolean done;

        Task(Runnable command, long due, long period, long order) {
            this.command = command;
            this.due = due;
            this.period = period;
            this.order = order;
            this.first = this;
        }

        Task(Task previous, long due, long order) {
            this.command = previous.command;
            this.due = due;
            this.period = previous.period;
            this.order = order;
            this.first = previous.first;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (first.done || first.cancelled) {
                return false;
            }
            first.cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return first.cancelled;
        }

        @Override
        public boolean isDone() {
            return first.done || first.cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int compareTo(Delayed other) {
            Task o = (Task) other;
            int byTime = Long.compare(due - o.due, 0);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
