package org.p2pchat.core.internal.local;

import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * Provides the in-JVM {@code local} transport. Its priority is negative, so it is used only when
 * asked for by name: a peer that silently fell back to it could reach nobody outside its JVM.
 * Stateless and thread-safe.
 */
public final class LocalTransportProvider implements TransportProvider {
    /** The name that selects this transport. */
    public static final String NAME = "local";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public LocalTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Transport create(TransportOptions options) {
        return new LocalTransport(options, LocalNetwork.JVM);
    }
}
