package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.spi.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a transport that does all socket I/O, select()-style.
 *
 * <p>Each iteration: select (or selectNow when work is waiting), check the transport's timers,
 * handle ready keys, run submitted tasks, then service the connections other threads scheduled
 * (frames to flush, closes). The select times out every {@value #SELECT_TIMEOUT_MS} ms so that
 * timers driven by an injected {@link Ticker} fire promptly even when no socket is ready.
 *
 * <p><b>Threading:</b> {@link #execute}, {@link #schedule} and {@link #inLoop} may be called from
 * any thread; everything else runs on the loop thread. Other threads wake the selector only when
 * the loop is (about to be) blocked in select, because {@code Selector.wakeup()} costs a system
 * call.
 */
final class NioEventLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NioEventLoop.class);
    static final long SELECT_TIMEOUT_MS = 250;
    /**
     * How long every iteration may fail (on the system clock: the transport's ticker may be what
     * fails) before the transport gives up and closes.
     */
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final NioTransport transport;
    private final Ticker ticker;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Treiber stack of scheduled connections, linked through their own field: no allocation. */
    private final AtomicReference<NioConnection> scheduled = new AtomicReference<>();
    /** True while the loop may block in select; whoever flips it to false calls wakeup(). */
    private final AtomicBoolean selecting = new AtomicBoolean();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final ReadBufferPool readBuffers = new ReadBufferPool();
    private volatile boolean terminated;
    private boolean timersChecked;
    private long now;

    NioEventLoop(NioTransport transport, Ticker ticker, String name) {
        this.transport = transport;
        this.ticker = ticker;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this, "p2pchat-nio-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    ReadBufferPool readBuffers() {
        return readBuffers;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs a task on the loop. After the loop has ended, the task runs on the calling thread,
     * where it finds the transport closed and fails its stage.
     *
     * @param task the task
     */
    void execute(Runnable task) {
        tasks.add(task);
        if (terminated) {
            runTasks();
        } else if (!inLoop()) {
            wakeup();
        }
    }

    /**
     * Asks the loop to service a connection (flush, close) in its next iteration.
     *
     * @param c the connection
     */
    void schedule(NioConnection c) {
        if (!c.markScheduled()) {
            return;
        }
        NioConnection head;
        do {
            head = scheduled.get();
            c.nextScheduled = head;
        } while (!scheduled.compareAndSet(head, c));
        if (!inLoop()) {
            wakeup();
        }
    }

    private void wakeup() {
        if (selecting.get() && selecting.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /**
     * Waits for the loop thread to end.
     *
     * @param timeoutNanos how long to wait
     * @return true if it ended
     */
    boolean awaitTermination(long timeoutNanos) {
        if (inLoop()) {
            return false;
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public void run() {
        int failedInARow = 0;
        long failingSince = 0;
        try {
            while (!transport.finished()) {
                try {
                    iterate();
                    failedInARow = 0;
                } catch (IOException | RuntimeException | Error e) {
                    // Even an OutOfMemoryError: the connection whose buffers caused it has been
                    // cut by then (see dispatch), and a loop that died would leave every
                    // conversation of the peer hanging with no word.
                    if (failedInARow++ == 0) {
                        failingSince = System.nanoTime();
                    }
                    if (failedInARow <= 3 || failedInARow % 1_000 == 0) {
                        LOG.error("{}: unexpected failure in the event loop ({} in a row);"
                                + " carrying on", thread.getName(), failedInARow, e);
                    }
                    if (failedInARow >= 3 && System.nanoTime() - failingSince >= GIVE_UP_NANOS) {
                        // Failing before it even gets to its tasks, it could not shut down in
                        // order: end here, and close everything on the way out.
                        LOG.error("{}: every iteration of the event loop failed for {} ms ({}"
                                + " times); closing the transport", thread.getName(),
                                TimeUnit.NANOSECONDS.toMillis(GIVE_UP_NANOS), failedInARow);
                        break;
                    }
                }
            }
        } finally {
            try {
                transport.loopEnding();
            } catch (RuntimeException | Error e) {
                LOG.error("{}: failure while closing the transport's connections", thread.getName(),
                        e);
            } finally {
                try {
                    selector.close();
                } catch (IOException e) {
                    LOG.debug("closing the selector failed", e);
                }
                terminated = true;
                runTasks();
                LOG.debug("{} stopped", thread.getName());
            }
        }
    }

    private void iterate() throws IOException {
        if (Thread.interrupted()) {
            // A pending interrupt would make every select return at once: a busy loop.
            LOG.debug("{}: ignoring an interrupt of the event loop", thread.getName());
        }
        timersChecked = false;
        selecting.set(true);
        if (!tasks.isEmpty() || scheduled.get() != null) {
            selecting.set(false);
            selector.selectNow(dispatch);
        } else {
            selector.select(dispatch, transport.selectTimeoutMillis());
            selecting.set(false);
        }
        checkTimers();
        runTasks();
        serviceScheduled();
        transport.afterIteration();
    }

    /** Runs before the first ready key so that an expired deadline wins over a racing event. */
    private void checkTimers() {
        if (!timersChecked) {
            timersChecked = true;
            now = ticker.nanoTime();
            transport.checkTimers(now);
        }
    }

    private void dispatch(SelectionKey key) {
        checkTimers();
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        try {
            ((NioSelectable) attachment).ready(key, now);
        } catch (RuntimeException | Error e) {
            LOG.error("{}: unexpected failure handling {}", thread.getName(), attachment, e);
            if (attachment instanceof NioConnection c) {
                // Whatever it held (an OutOfMemoryError while reading a frame, say) goes with it.
                c.terminate(failed(c, e));
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("{}: a transport task failed", thread.getName(), e);
            }
        }
    }

    private void serviceScheduled() {
        NioConnection c = scheduled.getAndSet(null);
        while (c != null) {
            NioConnection next = c.nextScheduled;
            c.nextScheduled = null;
            c.clearScheduled();
            try {
                c.service(now);
            } catch (RuntimeException | Error e) {
                LOG.error("{}: unexpected failure servicing {}", thread.getName(), c, e);
                c.terminate(failed(c, e));
            }
            c = next;
        }
    }

    private static ConnectionClosedException failed(NioConnection c, Throwable e) {
        return new ConnectionClosedException(Reason.IO_ERROR, c + " failed on the event loop: " + e,
                e);
    }
}
