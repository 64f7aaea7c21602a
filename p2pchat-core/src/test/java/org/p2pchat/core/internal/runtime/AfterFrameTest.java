package org.p2pchat.core.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.testkit.Await;

/** Tasks submitted while a thread reads a frame wait for its end and run there, in order. */
class AfterFrameTest {
    private final List<String> ran = new ArrayList<>();
    private final List<Runnable> handedOff = new ArrayList<>();
    private final AfterFrame executor = new AfterFrame(handedOff::add);

    @Test
    void tasksSubmittedInAFrameRunAtItsReleaseOnThatThreadInOrder() {
        boolean held = AfterFrame.hold();
        assertTrue(held);
        executor.execute(() -> ran.add("a"));
        executor.execute(() -> ran.add("b"));
        assertEquals(List.of(), ran, "not inside the frame");
        AfterFrame.release(held);
        assertEquals(List.of("a", "b"), ran);
        assertEquals(List.of(), handedOff);
    }

    @Test
    void aNestedHoldLeavesTheReleaseToTheOuterOne() {
        boolean outer = AfterFrame.hold();
        boolean inner = AfterFrame.hold();
        assertFalse(inner);
        executor.execute(() -> ran.add("a"));
        AfterFrame.release(inner);
        assertEquals(List.of(), ran);
        AfterFrame.release(outer);
        assertEquals(List.of("a"), ran);
    }

    @Test
    void outsideAFrameAndFromOtherThreadsTasksGoToTheOtherExecutor() throws Exception {
        executor.execute(() -> ran.add("outside"));
        boolean held = AfterFrame.hold();
        try {
            CompletableFuture<Void> other = CompletableFuture.runAsync(
                    () -> executor.execute(() -> ran.add("other thread")));
            Await.result(other);
        } finally {
            AfterFrame.release(held);
        }
        assertEquals(2, handedOff.size());
        assertEquals(List.of(), ran);
    }

    @Test
    void aTaskThatThrowsAtTheReleaseDoesNotStopTheOnesAfterIt() {
        boolean held = AfterFrame.hold();
        executor.execute(() -> {
            throw new IllegalStateException("a listener threw (test)");
        });
        executor.execute(() -> ran.add("after"));
        AfterFrame.release(held);
        assertEquals(List.of("after"), ran);
        assertTrue(AfterFrame.hold(), "the thread holds no more");
        AfterFrame.release(true);
    }

    @Test
    void aTaskRunAtTheReleaseThatSubmitsMoreHandsThemOff() {
        boolean held = AfterFrame.hold();
        executor.execute(() -> executor.execute(() -> ran.add("later")));
        AfterFrame.release(held);
        assertEquals(1, handedOff.size(), "outside the frame by then");
    }
}
