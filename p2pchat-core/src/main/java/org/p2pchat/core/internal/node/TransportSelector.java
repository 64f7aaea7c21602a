package org.p2pchat.core.internal.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.p2pchat.api.TransportNotFoundException;
import org.p2pchat.spi.TransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a {@link TransportProvider}, the way SLF4J chooses its binding: a name given by the
 * caller (or the {@code p2pchat.transport} setting) wins; otherwise the highest priority, then the
 * first name alphabetically, with the choice logged when there was one to make. Providers with a
 * negative priority, such as the in-JVM {@code local} transport, are used only when named.
 * Stateless and thread-safe.
 */
public final class TransportSelector {
    private static final Logger LOG = LoggerFactory.getLogger(TransportSelector.class);
    private static final String NIO_ARTIFACT = "org.p2pchat:p2pchat-transport-nio";
    private static final Comparator<TransportProvider> PREFERENCE =
            Comparator.comparingInt(TransportProvider::priority).reversed()
                    .thenComparing(TransportProvider::name)
                    .thenComparing(p -> p.getClass().getName());

    private TransportSelector() {
    }

    /**
     * Chooses among the providers {@link ServiceLoader} finds.
     *
     * @param requested a provider name, or null to choose automatically
     * @return the chosen provider
     * @throws TransportNotFoundException naming the artifact to add
     */
    public static TransportProvider discover(String requested) {
        List<TransportProvider> found = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, TransportSelector.class.getClassLoader())
                .forEach(found::add);
        return choose(found, requested);
    }

    /**
     * Chooses among the given providers.
     *
     * @param found the providers available
     * @param requested a provider name, or null to choose automatically
     * @return the chosen provider
     * @throws TransportNotFoundException naming the artifact to add
     */
    public static TransportProvider choose(List<TransportProvider> found, String requested) {
        List<TransportProvider> sorted = new ArrayList<>(found);
        sorted.sort(PREFERENCE);
        String names = sorted.stream().map(TransportProvider::name)
                .collect(Collectors.joining(", ", "[", "]"));
        if (requested != null && !requested.isBlank()) {
            String wanted = requested.strip();
            TransportProvider match = sorted.stream().filter(p -> p.name().equals(wanted))
                    .findFirst().orElseThrow(() -> new TransportNotFoundException(
                            "no transport named '" + wanted + "' (p2pchat.transport); found "
                                    + names + (wanted.equals("nio") ? "; add the dependency "
                                    + NIO_ARTIFACT : "")));
            LOG.debug("Using transport '{}' as requested; found {}", wanted, names);
            return match;
        }
        List<TransportProvider> candidates = sorted.stream().filter(p -> p.priority() >= 0)
                .collect(Collectors.toList());
        if (candidates.isEmpty()) {
            throw new TransportNotFoundException("no network transport on the class or module path"
                    + " (found " + names + "): add the dependency " + NIO_ARTIFACT
                    + ", or set p2pchat.transport=local for the in-JVM transport");
        }
        TransportProvider chosen = candidates.get(0);
        if (candidates.size() > 1) {
            LOG.info("Found transports {}; using '{}' ({}), the highest priority. Set"
                    + " p2pchat.transport to choose another.", names, chosen.name(),
                    chosen.getClass().getName());
        }
        return chosen;
    }
}
