package org.p2pchat.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Gathers outcomes that arrive together into one group per key, so that the user reads one line
 * where the library reports many at once: an acknowledgement that confirms several waiting
 * messages, or a refusal that fails every message waiting for a friend. The first item of a key
 * opens its group; the group is handed over a short {@code window} later with every item of that
 * key added meanwhile, and the next item opens a new group. The library completes such sends in
 * one burst on one thread, far within the window.
 *
 * <p><b>Threading:</b> {@link #add} may be called from any thread; groups are handed to
 * {@code flush} on the {@code output} executor, one at a time if it runs one task at a time.
 *
 * @param <K> what the items of one group have in common
 * @param <V> an item
 */
final class Coalescing<K, V> {
    private final Executor later;
    private final BiConsumer<K, List<V>> flush;
    private final Map<K, Group<V>> open = new HashMap<>();

    private record Group<V>(List<V> items, CompletableFuture<Void> flushed) {
    }

    /**
     * Creates the groups of one kind.
     *
     * @param window how long a group stays open after its first item
     * @param output runs {@code flush}
     * @param flush receives each group's key and items, in the order they were added
     */
    Coalescing(Duration window, Executor output, BiConsumer<K, List<V>> flush) {
        this.later = CompletableFuture.delayedExecutor(window.toNanos(), TimeUnit.NANOSECONDS,
                Objects.requireNonNull(output, "output"));
        this.flush = Objects.requireNonNull(flush, "flush");
    }

    /**
     * Adds an item to its key's open group, opening one if there is none.
     *
     * @param key the group's key
     * @param item the item
     * @return completes once the item's group has been handed to {@code flush}; never if the
     *     output executor refuses the task (it has been shut down)
     */
    CompletableFuture<Void> add(K key, V item) {
        Group<V> group;
        boolean opened = false;
        synchronized (open) {
            group = open.get(key);
            if (group == null) {
                group = new Group<>(new ArrayList<>(), new CompletableFuture<>());
                open.put(key, group);
                opened = true;
            }
            group.items().add(item);
        }
        if (opened) {
            later.execute(() -> close(key));
        }
        return group.flushed();
    }

    private void close(K key) {
        Group<V> group;
        synchronized (open) {
            group = open.remove(key);
        }
        try {
            flush.accept(key, List.copyOf(group.items()));
        } finally {
            group.flushed().complete(null);
        }
    }
}
