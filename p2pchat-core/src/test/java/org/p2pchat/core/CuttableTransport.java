package org.p2pchat.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * A transport provider for tests that wraps another and can cut every connection it made at
 * once, as a lost network would (each is aborted: what it had queued is lost). Give it to one
 * peer with {@link PeerBuilder#transport(TransportProvider)}. Thread-safe.
 */
final class CuttableTransport implements TransportProvider {
    private final TransportProvider inner;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    CuttableTransport(TransportProvider inner) {
        this.inner = inner;
    }

    /** Aborts every open connection; later ones are not affected. */
    int cutAll() {
        int cut = 0;
        for (Connection c : connections) {
            if (c.isOpen()) {
                cut++;
                c.abort(new ConnectionClosedException(ConnectionClosedException.Reason.IO_ERROR,
                        "cut by the test"));
            }
        }
        connections.clear();
        return cut;
    }

    @Override
    public String name() {
        return inner.name() + "-cuttable";
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Transport create(TransportOptions options) {
        return new WrappingTransport(inner.create(options), c -> {
            connections.add(c);
            return c;
        });
    }
}
