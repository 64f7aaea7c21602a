package org.p2pchat.core.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.StoreException;
import org.p2pchat.core.internal.store.MemoryStore;
import org.p2pchat.core.internal.store.MemoryStoreProvider;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.MessageStoreProvider;

/** How a peer's message store is chosen. */
class StoreSelectorTest {
    private static final Path STATE = Path.of("state");

    private static MessageStoreProvider durable() {
        return new MessageStoreProvider() {
            @Override
            public String name() {
                return "sqlite";
            }

            @Override
            public int priority() {
                return 10;
            }

            @Override
            public MessageStore open(Path directory) {
                return new MemoryStore();
            }
        };
    }

    @Test
    void aPeerWithAStateDirectoryGetsTheDurableStoreWhenOneIsFound() {
        assertEquals("sqlite", StoreSelector.choose(List.of(new MemoryStoreProvider(), durable()),
                null, STATE).name());
    }

    @Test
    void aPeerWithoutAStateDirectoryKeepsItsHistoryInMemory() {
        assertEquals("memory", StoreSelector.choose(List.of(new MemoryStoreProvider(), durable()),
                null, null).name());
    }

    @Test
    void withNoDurableStoreFoundThePeerUsesMemory() {
        assertEquals("memory", StoreSelector.choose(List.of(new MemoryStoreProvider()), null,
                STATE).name());
    }

    @Test
    void aNamedStoreWinsAndAnUnknownNameSaysWhichArtifactToAdd() {
        assertEquals("memory", StoreSelector.choose(List.of(new MemoryStoreProvider(), durable()),
                "memory", STATE).name());
        StoreException e = assertThrows(StoreException.class, () -> StoreSelector.choose(
                List.of(new MemoryStoreProvider()), "sqlite", STATE));
        assertTrue(e.getMessage().contains("org.p2pchat:p2pchat-store-sqlite"), e.getMessage());
    }

    @Test
    void theInMemoryStoreIsFoundThroughServiceLoader() {
        assertEquals("memory", StoreSelector.discover(null, null).name());
    }
}
