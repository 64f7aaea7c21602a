package org.p2pchat.core.internal.local;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.PeerAddress;

/**
 * The addresses local transports listen on, shared by every local transport in the JVM.
 * Addresses match exactly as written ({@code localhost:7001} is not {@code 127.0.0.1:7001}).
 * Thread-safe.
 */
final class LocalNetwork {
    /** The one network of this JVM. */
    static final LocalNetwork JVM = new LocalNetwork();

    /** A listening transport and what decides the handlers of its connections. */
    record Listener(LocalTransport transport, org.p2pchat.spi.ConnectionAcceptor acceptor) {
    }

    private final ConcurrentHashMap<PeerAddress, Listener> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(1);

    /**
     * Binds an address; port 0 picks an unused one.
     *
     * @return the bound address, or null if it is taken
     */
    PeerAddress bind(PeerAddress address, Listener listener) {
        if (address.port() != 0) {
            return listeners.putIfAbsent(address, listener) == null ? address : null;
        }
        for (int tries = 0; tries < 65_535; tries++) {
            PeerAddress candidate = address.withPort(ephemeralPort());
            if (listeners.putIfAbsent(candidate, listener) == null) {
                return candidate;
            }
        }
        return null;
    }

    void unbind(PeerAddress address, Listener listener) {
        listeners.remove(address, listener);
    }

    Listener lookup(PeerAddress address) {
        return listeners.get(address);
    }

    /** Returns a port number for a client end or an ephemeral bind, cycling through 1 to 65535. */
    int ephemeralPort() {
        return nextPort.getAndUpdate(p -> p >= 65_535 ? 1 : p + 1);
    }
}
