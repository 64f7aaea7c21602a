package org.p2pchat.core.internal.store;

import java.nio.file.Path;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.MessageStoreProvider;

/**
 * Provides the {@link MemoryStore}, named {@code memory}: the store of last resort (priority 0),
 * which keeps nothing on disk whatever directory it is given. Stateless.
 */
public final class MemoryStoreProvider implements MessageStoreProvider {
    /** Creates the provider; ServiceLoader does. */
    public MemoryStoreProvider() {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public MessageStore open(Path directory) {
        return new MemoryStore();
    }
}
