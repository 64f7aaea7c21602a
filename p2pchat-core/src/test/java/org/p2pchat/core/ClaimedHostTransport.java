package org.p2pchat.core;

import java.util.concurrent.CompletionStage;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionAcceptor;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * A provider whose transports report a listen address on another host than the one they bound,
 * so that a peer using it claims that host in its HELLO while its connections come from the real
 * one. Everything else is the wrapped provider's. Thread-safe, as the wrapped provider is.
 */
final class ClaimedHostTransport implements TransportProvider {
    private final TransportProvider inner;
    private final String claimedHost;

    /**
     * Wraps a provider.
     *
     * @param inner the provider that does the work
     * @param claimedHost the host every listen address is reported on
     */
    ClaimedHostTransport(TransportProvider inner, String claimedHost) {
        this.inner = inner;
        this.claimedHost = claimedHost;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Transport create(TransportOptions options) {
        Transport transport = inner.create(options);
        return new Transport() {
            @Override
            public CompletionStage<PeerAddress> listen(PeerAddress address,
                    ConnectionAcceptor acceptor) {
                return transport.listen(address, acceptor)
                        .thenApply(bound -> new PeerAddress(claimedHost, bound.port()));
            }

            @Override
            public CompletionStage<Connection> connect(PeerAddress remote,
                    ConnectionHandler handler) {
                return transport.connect(remote, handler);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }
}
