package org.p2pchat.api;

import java.util.concurrent.CompletionStage;

/**
 * A running chat node: it listens for friends, opens a connection to a friend on the first message
 * and reuses it, and hands what arrives to its {@link MessageListener}.
 *
 * <p>Created and started by {@code org.p2pchat.core.P2pChat.builder(name)}.
 *
 * <p><b>Threading:</b> every method is thread-safe and none blocks on the network: work that needs
 * the network is queued for the transport's event loop and its outcome reported through the
 * returned {@link CompletionStage}. Stages complete on a network thread, so keep dependent actions
 * short or move them to your own executor.
 */
public interface Peer extends AutoCloseable {

    /**
     * Returns this peer's name, as it introduces itself to friends.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the address this peer listens on, with the actual port when port 0 was asked for.
     *
     * @return the bound listen address
     */
    PeerAddress listenAddress();

    /**
     * Returns this peer's public key, its identity. Friends pin it in their user_info tables.
     *
     * @return the key
     */
    PeerKey publicKey();

    /**
     * Returns the key a friend has proven it holds, pinned or trusted on first use.
     *
     * @param friend the friend's name
     * @return the key, or empty while no connection to the friend has completed a handshake and
     *     none is pinned or remembered
     */
    java.util.Optional<PeerKey> peerKey(String friend);

    /**
     * Returns the directory this peer looks friends up in.
     *
     * @return the directory
     */
    PeerDirectory directory();

    /**
     * Sends a text message to a friend, opening a connection first if there is none.
     *
     * <p>The message is numbered and kept in the friend's outbox until the friend acknowledges
     * it: if the friend is offline or the connection breaks, it is sent again on the next
     * connection, and the friend's listener gets it exactly once, in the order of this peer's
     * calls. The stage completes when the friend has acknowledged it, and fails with
     * {@link UnknownPeerException} if the friend is not in the directory (nor connected),
     * {@link DeliveryTimeoutException} if no acknowledgement came within the delivery timeout,
     * {@link OutboxFullException} at once if the friend's outbox is at its limit,
     * {@link PeerIdentityException} if the friend's key does not match the trusted one (or the
     * friend refused this peer's key),
     * {@link MessageTooLargeException} if the text does not fit in a frame (this peer's, or the
     * friend's if smaller), or
     * {@link PeerClosedException} if this peer is closed first.
     *
     * @param friend the friend's name, as in the directory
     * @param text the message text (may be empty)
     * @return a stage completed when the friend has acknowledged the message
     */
    CompletionStage<Void> send(String friend, String text);

    /**
     * Returns the state of the connection to a friend.
     *
     * @param friend the friend's name
     * @return the state; {@link ConnectionState#DISCONNECTED} for unknown names
     */
    ConnectionState connectionState(String friend);

    /**
     * Returns why the last attempt to reach a friend failed, or why its last connection closed,
     * while messages to it wait: a refused connection, a connect timeout, a handshake cut short or
     * refused. Applications use it to tell "offline" from "answers but fails"; the messages
     * themselves keep being retried until their delivery timeout.
     *
     * @param friend the friend's name
     * @return the last failure, or empty if there was none since the friend last acknowledged a
     *     message, or nothing waits for it
     */
    java.util.Optional<Throwable> connectionFailure(String friend);

    /**
     * Closes every connection and the listening socket, fails pending sends with
     * {@link PeerClosedException}, and stops the callback thread it owns. Returns within the
     * transport's close timeout; calling it again does nothing.
     */
    @Override
    void close();
}
