package org.p2pchat.core.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.testkit.Await;

/** Which threads count as the peers' own, for close() to know whether it may block. */
class NodeThreadsTest {

    @Test
    void aSpanMarksTheThreadOnlyWhileItRunsAndNestedSpansKeepTheOuterMark() {
        assertFalse(NodeThreads.current(), "a test thread is the application's");
        NodeThreads.runMarked(() -> {
            assertTrue(NodeThreads.current());
            NodeThreads.runMarked(() -> assertTrue(NodeThreads.current()));
            assertTrue(NodeThreads.current(), "the inner span leaves the outer one's mark");
        });
        assertFalse(NodeThreads.current());
    }

    @Test
    void threadsTheNodeCreatesArePeerThreadsForLife() throws Exception {
        CompletableFuture<boolean[]> seen = new CompletableFuture<>();
        Thread t = SerialCallbacks.daemonThreads("alice").newThread(() -> {
            boolean before = NodeThreads.current();
            NodeThreads.runMarked(() -> { });
            seen.complete(new boolean[] {before, NodeThreads.current()});
        });
        t.start();
        boolean[] marks = Await.result(seen);
        assertTrue(marks[0], "marked from the start");
        assertTrue(marks[1], "still marked after a span ended");
        t.join(Await.DEFAULT.toMillis());
    }
}
