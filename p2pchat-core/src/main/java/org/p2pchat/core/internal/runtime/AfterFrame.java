package org.p2pchat.core.internal.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor that runs what is submitted while a network thread reads a frame on that thread,
 * as soon as it is done with the frame, and everything else on another executor: so that a
 * listener can be called on the network thread, with no hand-over to another thread, yet never
 * inside the locks held while the frame is read (a listener that sends would otherwise take the
 * locks in the opposite order to the network thread).
 *
 * <p>The reading thread marks the frame with {@link #hold} and {@link #release}; tasks submitted
 * in between, from that thread, wait for the release and then run there, in order. Tasks from any
 * other thread, or from the reading thread outside a frame, go to the other executor at once.
 *
 * <p>Thread-safe: what is held is the holding thread's own.
 */
public final class AfterFrame implements Executor {
    /** The tasks a thread holds, and whether it holds; one per thread that ever read a frame. */
    private static final class Held {
        boolean holding;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    }

    private static final Logger LOG = LoggerFactory.getLogger(AfterFrame.class);
    private static final ThreadLocal<Held> HELD = ThreadLocal.withInitial(Held::new);

    private final Executor otherwise;

    /** @param otherwise where the tasks submitted outside a frame run */
    public AfterFrame(Executor otherwise) {
        this.otherwise = otherwise;
    }

    /**
     * The calling thread starts reading a frame: {@code AfterFrame} tasks it submits wait for
     * {@link #release}.
     *
     * @return whether this call started the hold (false inside one already); pass it to
     *     {@link #release}
     */
    public static boolean hold() {
        Held h = HELD.get();
        if (h.holding) {
            return false;
        }
        h.holding = true;
        return true;
    }

    /**
     * The calling thread is done with the frame: the tasks it held run now, on it, in order
     * (and those they submit after them). Call it in a {@code finally}, outside every lock.
     *
     * @param started what {@link #hold} returned; if false, nothing happens
     */
    public static void release(boolean started) {
        if (!started) {
            return;
        }
        Held h = HELD.get();
        h.holding = false;
        for (Runnable task = h.tasks.poll(); task != null; task = h.tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // The tasks after it are still run: each is another's callback.
                LOG.error("A callback run after a frame threw", e);
            }
        }
    }

    @Override
    public void execute(Runnable task) {
        Held h = HELD.get();
        if (h.holding) {
            h.tasks.add(task);
        } else {
            otherwise.execute(task);
        }
    }
}
