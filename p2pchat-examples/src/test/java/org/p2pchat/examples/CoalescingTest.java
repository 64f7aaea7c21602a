package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.testkit.Await;

class CoalescingTest {
    private final ExecutorService output = Executors.newSingleThreadExecutor();
    private final List<String> flushed = new CopyOnWriteArrayList<>();
    /** Long, so that items added one after the other always fall into one group. */
    private final Coalescing<String, String> groups = new Coalescing<>(Duration.ofMillis(500),
            output, (key, items) -> flushed.add(key + " " + items));

    @AfterEach
    void stop() {
        output.shutdown();
    }

    @Test
    void itemsOfOneKeyAddedTogetherAreHandedOverAsOneGroupInTheirOrder() {
        CompletableFuture<Void> first = groups.add("bob", "one");
        groups.add("carol", "uno");
        CompletableFuture<Void> last = groups.add("bob", "two");
        Await.result(first);
        Await.result(last);
        Await.until("carol's group", () -> flushed.size() == 2);
        assertEquals(List.of("bob [one, two]", "carol [uno]"), flushed);

        // The group has been handed over: the next item opens a new one.
        Await.result(groups.add("bob", "three"));
        assertEquals("bob [three]", flushed.get(2));
    }
}
