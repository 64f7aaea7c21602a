package org.p2pchat.spi;

import org.p2pchat.api.StoreException;
import java.nio.file.Path;

/**
 * Makes {@link MessageStore}s of one kind; found with {@link java.util.ServiceLoader}, like
 * {@link TransportProvider}s, and listed under {@code META-INF/services} too.
 *
 * <p>Thread-safe; {@link #open} may be slow (it opens files, migrates a schema).
 */
public interface MessageStoreProvider {

    /**
     * Returns the store's name, as the {@code p2pchat.store} setting names it ({@code memory},
     * {@code sqlite}).
     *
     * @return the name
     */
    String name();

    /**
     * Returns the priority of this kind when no store is named: the highest that can keep its
     * data in the given place wins.
     *
     * @return the priority
     */
    int priority();

    /**
     * Opens the store of a peer.
     *
     * @param directory the peer's state directory (its files go there), or null if the peer
     *     keeps nothing on disk
     * @return the store
     * @throws StoreException if it cannot be opened
     * @throws IllegalArgumentException if this kind needs a directory and none is given
     */
    MessageStore open(Path directory);
}
