package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.MessageStoreProvider;

/**
 * The {@code sqlite} store provider, found through {@link java.util.ServiceLoader}: the durable
 * choice (priority 10, above the in-memory store's 0) for a peer with a state directory. Its
 * stores keep {@value SqliteStore#FILE_NAME} in that directory, with the {@code synchronous}
 * mode of {@value SqliteStore#SYNC_PROPERTY} ({@code normal} unless set to {@code full}).
 *
 * <p><b>Threading:</b> stateless and thread-safe; {@link #open} opens, and if need be creates or
 * migrates, the database before returning, and starts the store's writer thread.
 */
public final class SqliteStoreProvider implements MessageStoreProvider {
    /** The name that {@code p2pchat.store} selects this provider by. */
    public static final String NAME = "sqlite";
    /** Above the in-memory store, so that a peer with a directory keeps its history. */
    public static final int PRIORITY = 10;

    /** Creates the provider; ServiceLoader calls this. */
    public SqliteStoreProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the directory is null, or {@value
     *     SqliteStore#SYNC_PROPERTY} names no mode
     */
    @Override
    public MessageStore open(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("the sqlite store keeps its history in the peer's"
                    + " directory: give the peer a state directory, or choose the memory store");
        }
        return SqliteStore.open(directory, SqliteStore.Sync.fromSystemProperty());
    }

    @Override
    public String toString() {
        return "SqliteStoreProvider[" + NAME + "]";
    }
}
