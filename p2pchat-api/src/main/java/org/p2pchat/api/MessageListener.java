package org.p2pchat.api;

/**
 * What an application implements to receive messages.
 *
 * <p><b>Threading:</b> a {@link Peer} calls its listener on the callback executor given to its
 * builder (by default one thread owned by that peer), never on a network thread unless the
 * builder asked for it ({@code callbacksOnNetworkThread}: then the calls for what a frame brings
 * run on the thread that read it, right after it and outside the peer's locks), and never
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
     * pinned in the user_info table). For a name in the table, from now on this name is accepted
     * only with this key. A name outside the table (a stranger's, or a room member's) binds
     * nothing: another key under that name is another peer, and is told of the same way. An
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

    /**
     * Called once for each message published in a room this peer is a member of, by another
     * member, in its origin's order. Called in the room's own turn (see the class comment), so a
     * room's messages never wait behind one sender's backlog of direct messages.
     *
     * @param message the message
     */
    default void onRoomMessage(RoomMessage message) {
    }

    /**
     * Called when a member joins a room this peer is in (or this peer learns of one that joined
     * while it was away), and when a member reported {@link #onMemberFailed failed} answers
     * again. Not called for this peer itself.
     *
     * @param room the room's name
     * @param member the member
     */
    default void onMemberJoined(String room, RoomMember member) {
    }

    /**
     * Called when a member announces that it leaves a room this peer is in (its {@code :q} or
     * {@link Room#leave()}).
     *
     * @param room the room's name
     * @param member the member, as it was before it left
     */
    default void onMemberLeft(String room, RoomMember member) {
    }

    /**
     * Called when this peer has not been able to reach a member for
     * {@code p2pchat.roomFailureTimeout}, without the member having announced a leave: it
     * crashed, lost its network, or is cut off from this peer. A connection that closes because
     * it was idle is not a failure. This peer keeps trying; when the member answers again,
     * {@link #onMemberJoined} is called.
     *
     * @param room the room's name
     * @param member the member
     */
    default void onMemberFailed(String room, RoomMember member) {
    }

    /**
     * Called when a peer offers a file. Accept it into a directory ({@link FileOffer#accept}) or
     * refuse it ({@link FileOffer#refuse}), now or later from any thread. The default refuses,
     * so that an application that knows nothing of files never receives one.
     *
     * @param offer the offer, its name and size checked already
     */
    default void onFileOffer(FileOffer offer) {
        offer.refuse();
    }

    /**
     * Called as a file transfer moves, on either side: coalesced to at most one call every
     * 100 ms per transfer, plus a last one when every byte is done. Not called for every chunk.
     *
     * @param transfer the transfer
     * @param bytesDone bytes written by the receiver (for the sender: confirmed by it)
     * @param size the file's size
     */
    default void onFileProgress(FileTransfer transfer, long bytesDone, long size) {
    }
}
