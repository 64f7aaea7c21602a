package org.p2pchat.core;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionAcceptor;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;

/**
 * A transport that hands out wrappers of another transport's connections, everywhere the layer
 * above can see one: connect's result, the acceptor's argument and every handler callback. Each
 * inner connection gets exactly one wrapper, so the layer above can compare connections by
 * identity. Thread-safe, as the inner transport is; callbacks run on the inner transport's
 * threads.
 */
final class WrappingTransport implements Transport {
    private final Transport inner;
    private final UnaryOperator<Connection> wrap;

    WrappingTransport(Transport inner, UnaryOperator<Connection> wrap) {
        this.inner = inner;
        this.wrap = wrap;
    }

    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress address, ConnectionAcceptor acceptor) {
        return inner.listen(address, c -> {
            Connection wrapped = wrap.apply(c);
            return new WrappingHandler(acceptor.accepted(wrapped), ignored -> wrapped);
        });
    }

    @Override
    public CompletionStage<Connection> connect(PeerAddress remote, ConnectionHandler handler) {
        WrappingHandler h = new WrappingHandler(handler, wrap);
        return inner.connect(remote, h).thenApply(h::wrapped);
    }

    @Override
    public void close() {
        inner.close();
    }

    /**
     * Passes callbacks on with the wrapper in place of the inner connection. The wrapper is made
     * on first use because a connecting side's first callback may come before connect's stage
     * completes.
     */
    private static final class WrappingHandler implements ConnectionHandler {
        private final ConnectionHandler handler;
        private final UnaryOperator<Connection> wrap;
        private Connection wrapped; // guarded by this

        WrappingHandler(ConnectionHandler handler, UnaryOperator<Connection> wrap) {
            this.handler = handler;
            this.wrap = wrap;
        }

        synchronized Connection wrapped(Connection inner) {
            if (wrapped == null) {
                wrapped = wrap.apply(inner);
            }
            return wrapped;
        }

        @Override
        public void onFrame(Connection c, ByteBuffer frame) {
            handler.onFrame(wrapped(c), frame);
        }

        @Override
        public void onReadComplete(Connection c) {
            handler.onReadComplete(wrapped(c));
        }

        @Override
        public void onClosed(Connection c, ConnectionClosedException reason) {
            handler.onClosed(wrapped(c), reason);
        }
    }
}
