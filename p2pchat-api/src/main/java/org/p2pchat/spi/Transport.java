package org.p2pchat.spi;

import java.util.concurrent.CompletionStage;
import org.p2pchat.api.PeerAddress;

/**
 * Moves whole frames over connections it listens for or opens.
 *
 * <p><b>Threading:</b> all methods are thread-safe and never block on the network. Every callback
 * ({@link ConnectionAcceptor}, {@link ConnectionHandler}) runs on the transport's event-loop
 * thread; a callback that throws is logged and closes only its own connection. Returned stages
 * complete on that thread too, with one exception: the stage of a {@link Connection#send} whose
 * frame was written at once by the calling thread may complete on the calling thread, before
 * {@code send} returns (see {@link Connection#send}).
 *
 * <p><b>Guarantees:</b> frames written to a connection arrive whole and in the order written, or
 * the connection closes and every frame not yet handed to the operating system fails with a
 * {@link org.p2pchat.api.ConnectionClosedException}. The transport enforces every limit in its
 * {@link TransportOptions}.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts accepting connections on a local address.
     *
     * @param address the local address; port 0 picks a free port
     * @param acceptor called for every accepted connection, before any of its frames is read
     * @return a stage completed with the bound address (with the actual port), or failed with
     *     {@link org.p2pchat.api.ListenFailedException}
     */
    CompletionStage<PeerAddress> listen(PeerAddress address, ConnectionAcceptor acceptor);

    /**
     * Opens a connection.
     *
     * @param remote the address to connect to
     * @param handler receives the connection's frames and its close; attached before any frame
     *     is read
     * @return a stage completed with the open connection, or failed with
     *     {@link org.p2pchat.api.ConnectFailedException} (or its subclasses
     *     {@link org.p2pchat.api.ConnectTimeoutException} and
     *     {@link org.p2pchat.api.ConnectionLimitException}), or with
     *     {@link org.p2pchat.api.TransportClosedException} if the transport is closed, including
     *     for a connect still in progress when the transport closes
     */
    CompletionStage<Connection> connect(PeerAddress remote, ConnectionHandler handler);

    /**
     * Closes the listening sockets and every connection (their handlers see
     * {@link org.p2pchat.api.ConnectionClosedException.Reason#TRANSPORT_CLOSED}) and stops the
     * event loop. Returns within {@link TransportOptions#closeTimeout()}; idempotent. After it,
     * {@code listen} and {@code connect} fail with {@link org.p2pchat.api.TransportClosedException}.
     */
    @Override
    void close();
}
