package org.p2pchat.core.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Listener callbacks: senders take turns, and when the application's executor rejects work the
 * callbacks wait and are offered again with backoff on the node's timer, driven here by hand,
 * until it accepts.
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

    /** Keeps what it is given until the test runs it. */
    private static final class HeldExecutor implements Executor {
        final java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void runAll() {
            for (Runnable r = held.poll(); r != null; r = held.poll()) {
                r.run();
            }
        }
    }

    @Test
    void lanesWithTasksWaitingTakeTurnsAndEachKeepsItsOrder() {
        HeldExecutor executor = new HeldExecutor();
        SerialExecutor serial = new SerialExecutor(executor, timer);
        for (int i = 1; i <= 4; i++) {
            serial.execute("stranger", record("s" + i));
        }
        serial.execute("alice", record("a1"));
        serial.execute("alice", record("a2"));
        serial.execute("bob", record("b1"));
        executor.runAll();
        assertEquals(List.of("s1", "a1", "b1", "s2", "a2", "s3", "s4"), ran);
    }

    @Test
    void aTaskQueuedWhileAnotherRunsTakesItsTurnBeforeTheRestOfABacklog() {
        HeldExecutor executor = new HeldExecutor();
        SerialExecutor serial = new SerialExecutor(executor, timer);
        serial.execute("stranger", () -> {
            ran.add("s1");
            serial.execute("alice", record("a1"));
        });
        for (int i = 2; i <= 100; i++) {
            serial.execute("stranger", record("s" + i));
        }
        executor.runAll();
        assertEquals(List.of("s1", "s2", "a1", "s3"), ran.subList(0, 4));
        assertEquals(101, ran.size());
    }

    /** Runs its tasks later, when the test says, as a pool thread would. */
    private static final class Held implements Executor {
        private final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    /** Steps named name + index; the one at {@code throwAt} throws after it is recorded. */
    private SerialExecutor.Steps steps(String name, int count, int throwAt) {
        return new SerialExecutor.Steps() {
            private int next;

            @Override
            public void step() {
                int i = next++;
                ran.add(name + i);
                if (i == throwAt) {
                    throw new IllegalStateException("listener failure (test)");
                }
            }

            @Override
            public boolean last() {
                return next == count - 1;
            }
        };
    }

    @Test
    void aTaskOfStepsTakesOneTurnPerStepAndKeepsItsPlaceAheadOfItsLanesLaterTasks() {
        Held executor = new Held();
        SerialExecutor serial = new SerialExecutor(executor, timer);

        serial.execute("zed", steps("z", 3, -1));
        serial.execute("zed", record("z-after"));
        serial.execute("alice", record("a0"));
        serial.execute("alice", record("a1"));
        executor.runAll();

        assertEquals(List.of("z0", "a0", "z1", "a1", "z2", "z-after"), ran);
    }

    @Test
    void aStepThatThrowsIsLoggedAndTheStepsAfterItStillRun() {
        Held executor = new Held();
        SerialExecutor serial = new SerialExecutor(executor, timer);

        serial.execute("zed", steps("z", 3, 1));
        serial.execute("zed", record("next"));
        executor.runAll();

        assertEquals(List.of("z0", "z1", "z2", "next"), ran);
    }
}
