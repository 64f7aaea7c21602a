package org.p2pchat.api;

/**
 * What an application implements to receive messages.
 *
 * <p><b>Threading:</b> a {@link Peer} calls its listener on the callback executor given to its
 * builder (by default one thread owned by that peer), never on a network thread, and never
 * concurrently: calls are made one at a time, and each sender's messages in the order it sent
 * them. Senders with calls waiting take turns, one call each, so one sender's backlog (a stranger
 * flooding, say) never holds up another sender's messages. A listener may call
 * {@link Peer#send} freely. A listener that throws is logged and keeps receiving; a slow listener
 * delays only later callbacks of the same peer.
 *
 * <p>New callbacks are added as default methods, so implementations keep compiling.
 */
@FunctionalInterface
public interface MessageListener {

    /**
     * Called once for each message received.
     *
     * @param message the message
     */
    void onMessage(ChatMessage message);

    /**
     * Called when a peer's key is seen for the first time and trusted on first use (it was not
     * pinned in the user_info table). From now on this name is accepted only with this key. An
     * application may show the fingerprint so people can compare it out of band.
     *
     * @param peerName the peer's name
     * @param key the key now remembered for it
     */
    default void onPeerKeyTrusted(String peerName, PeerKey key) {
    }

    /**
     * Called when this peer refuses a caller: a connection from a peer whose key does not match
     * the one pinned in the user_info table, or remembered, for the name it claims. The caller is
     * told (its sends fail with {@link PeerIdentityException}); nothing from that connection
     * reaches {@link #onMessage}. A friend that this peer called and refused is reported through
     * the failed sends instead, not here.
     *
     * @param peerName the name the caller claimed
     * @param reason what was refused and what to do about it; names both fingerprints
     */
    default void onPeerRefused(String peerName, PeerIdentityException reason) {
    }
}
