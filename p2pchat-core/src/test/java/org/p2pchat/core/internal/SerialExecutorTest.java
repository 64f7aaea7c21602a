package org.p2pchat.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Listener callbacks when the application's executor rejects work: they wait and are offered
 * again with backoff on the node's timer, driven here by hand, until it accepts.
 */
class SerialExecutorTest {
    private final ManualScheduler timer = new ManualScheduler();
    private final List<String> ran = new ArrayList<>();

    /** Rejects its first {@code n} tasks, then runs each on the caller's thread. */
    private static final class RejectingFirst implements Executor {
        private int rejectionsLeft;
        private int rejected;

        RejectingFirst(int n) {
            rejectionsLeft = n;
        }

        @Override
        public void execute(Runnable task) {
            if (rejectionsLeft > 0) {
                rejectionsLeft--;
                rejected++;
                throw new RejectedExecutionException("busy (test)");
            }
            task.run();
        }
    }

    private Runnable record(String name) {
        return () -> ran.add(name);
    }

    @Test
    void callbacksTheExecutorRejectsRunOnceInOrderWhenItAcceptsAgain() {
        RejectingFirst executor = new RejectingFirst(3);
        SerialExecutor serial = new SerialExecutor(executor, timer);

        serial.execute(record("a"));
        serial.execute(record("b"));
        serial.execute(record("c"));
        assertEquals(List.of(), ran);
        while (timer.pendingCount() > 0) {
            timer.runPending();
        }

        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(3, executor.rejected);
        serial.execute(record("d"));
        assertEquals(List.of("a", "b", "c", "d"), ran, "accepted at once, no retry");
        assertEquals(0, timer.pendingCount());
    }

    @Test
    void retriesBackOffFrom10MillisecondsDoublingTo1SecondAndStartOverAfterASuccess() {
        SerialExecutor serial = new SerialExecutor(new RejectingFirst(10), timer);

        serial.execute(record("a"));
        while (timer.pendingCount() > 0) {
            timer.runPending();
        }

        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 1000L),
                timer.delaysMillis());
        assertEquals(List.of("a"), ran);
    }

    @Test
    void aNewRejectionStreakStartsAgainAt10Milliseconds() {
        RejectingFirst executor = new RejectingFirst(2);
        SerialExecutor serial = new SerialExecutor(executor, timer);
        serial.execute(record("a"));
        while (timer.pendingCount() > 0) {
            timer.runPending();
        }

        executor.rejectionsLeft = 1;
        serial.execute(record("b"));
        timer.runPending();

        assertEquals(List.of(10L, 20L, 10L), timer.delaysMillis());
        assertEquals(List.of("a", "b"), ran);
    }
}
