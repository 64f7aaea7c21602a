package org.p2pchat.transport.nio.internal;

import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * The {@code nio} transport provider, found through {@link java.util.ServiceLoader}: the default
 * choice (priority 100) for real networks.
 *
 * <p><b>Threading:</b> stateless and thread-safe; {@link #create} starts the new transport's
 * event-loop thread before returning.
 */
public final class NioTransportProvider implements TransportProvider {
    /** The name that {@code p2pchat.transport} selects this provider by. */
    public static final String NAME = "nio";
    /** Above in-JVM transports, so that real sockets are the default. */
    public static final int PRIORITY = 100;

    /** Creates the provider; ServiceLoader calls this. */
    public NioTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Transport create(TransportOptions options) {
        return new NioTransport(options);
    }

    @Override
    public String toString() {
        return "NioTransportProvider[" + NAME + "]";
    }
}
