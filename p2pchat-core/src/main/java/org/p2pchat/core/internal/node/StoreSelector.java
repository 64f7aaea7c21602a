package org.p2pchat.core.internal.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.p2pchat.api.StoreException;
import org.p2pchat.spi.MessageStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a {@link MessageStoreProvider} as {@link TransportSelector} chooses transports: a name
 * given by the caller (or the {@code p2pchat.store} setting) wins; otherwise, for a peer with a
 * state directory, the highest priority found (the SQLite store when its module is present),
 * and for a peer without one, the in-memory store. Stateless and thread-safe.
 */
public final class StoreSelector {
    private static final Logger LOG = LoggerFactory.getLogger(StoreSelector.class);
    private static final String SQLITE_ARTIFACT = "org.p2pchat:p2pchat-store-sqlite";
    private static final Comparator<MessageStoreProvider> PREFERENCE =
            Comparator.comparingInt(MessageStoreProvider::priority).reversed()
                    .thenComparing(MessageStoreProvider::name);

    private StoreSelector() {
    }

    /**
     * Chooses among the providers {@link ServiceLoader} finds.
     *
     * @param requested a provider name, or null to choose automatically
     * @param stateDirectory the peer's state directory, or null
     * @return the chosen provider
     * @throws StoreException if none has the name asked for
     */
    public static MessageStoreProvider discover(String requested, Path stateDirectory) {
        List<MessageStoreProvider> found = new ArrayList<>();
        ServiceLoader.load(MessageStoreProvider.class, StoreSelector.class.getClassLoader())
                .forEach(found::add);
        return choose(found, requested, stateDirectory);
    }

    /**
     * Chooses among the given providers.
     *
     * @param found the providers available
     * @param requested a provider name, or null to choose automatically
     * @param stateDirectory the peer's state directory, or null
     * @return the chosen provider
     * @throws StoreException if none has the name asked for
     */
    public static MessageStoreProvider choose(List<MessageStoreProvider> found, String requested,
            Path stateDirectory) {
        List<MessageStoreProvider> sorted = new ArrayList<>(found);
        sorted.sort(PREFERENCE);
        String names = sorted.stream().map(MessageStoreProvider::name)
                .collect(Collectors.joining(", ", "[", "]"));
        if (requested != null && !requested.isBlank()) {
            String wanted = requested.strip();
            return sorted.stream().filter(p -> p.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new StoreException("no message store named '" + wanted
                            + "' (p2pchat.store); found " + names
                            + (wanted.equals("sqlite") ? "; add the dependency " + SQLITE_ARTIFACT
                                    : "")));
        }
        if (stateDirectory == null) {
            return sorted.stream().filter(p -> p.name().equals("memory")).findFirst()
                    .orElseThrow(() -> new StoreException("no in-memory store found " + names));
        }
        MessageStoreProvider chosen = sorted.get(0);
        if (chosen.name().equals("memory")) {
            LOG.info("No durable message store on the class path (found {}): history and"
                    + " unacknowledged messages last only as long as the process. Add {} to keep"
                    + " them in the state directory.", names, SQLITE_ARTIFACT);
        }
        return chosen;
    }
}
