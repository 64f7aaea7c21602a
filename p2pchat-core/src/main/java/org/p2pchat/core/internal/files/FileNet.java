package org.p2pchat.core.internal.files;

import java.util.concurrent.CompletionStage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerKey;

/**
 * What files need of the node they run in: the links that carry their control messages
 * (numbered, acknowledged DATA messages of kind 4), the listener and its serial executor, and the
 * node's limits. The node implements it; thread-safe, as the node is.
 */
public interface FileNet {
    /**
     * Sends a control message to a peer by key, as {@code Peer.send(PeerKey, ...)} sends text.
     *
     * @param key the peer
     * @param body the message (its kind is 4)
     * @return completes when the peer acknowledged it; fails as a send does
     */
    CompletionStage<Void> send(PeerKey key, byte[] body);

    /**
     * Sends a control message to a peer by name, as {@code Peer.send(String, ...)} finds it.
     *
     * @param name the peer's name
     * @param body the message
     * @return completes when acknowledged; fails as a send does ({@code UnknownPeerException}...)
     */
    CompletionStage<Void> send(String name, byte[] body);

    /**
     * The key a name stands for now, or null while unknown (a friend of the table not met yet).
     *
     * @param name the name
     * @return the key or null
     */
    PeerKey keyOf(String name);

    /**
     * The name a key goes by, or null if this peer knows nothing of it.
     *
     * @param key the key
     * @return the name or null
     */
    String labelOf(PeerKey key);

    /**
     * Runs a task on the listener's serial executor, in a lane.
     *
     * @param lane what the task is about (the peer's key)
     * @param task the task
     */
    void execute(Object lane, Runnable task);

    /**
     * The application's listener.
     *
     * @return the listener
     */
    MessageListener listener();

    /**
     * The largest frame this peer sends or accepts.
     *
     * @return bytes
     */
    int maxFrameBytes();

    /**
     * The node's clock.
     *
     * @return nanoseconds
     */
    long nanoTime();

    /**
     * Opens a connection to a peer unless one is open, as {@code Peer.connect} does.
     *
     * @param key the peer's key
     * @return completes once a connection is open; fails as a connect does
     */
    CompletionStage<Void> connect(PeerKey key);

    /**
     * Runs a task on the node's timer after a delay.
     *
     * @param delayNanos the delay
     * @param task the task; not run if the node closes first
     */
    void schedule(long delayNanos, Runnable task);
}
