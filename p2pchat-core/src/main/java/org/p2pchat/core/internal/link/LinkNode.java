package org.p2pchat.core.internal.link;

import java.time.Duration;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.ArrivedTexts;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Inflow;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.runtime.ThrottledLog;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;

/**
 * What the link layer needs from the running peer it works for: a {@link LinkHandler} runs one
 * connection with it, a {@link KeyProbe} and a {@link ListedAddressCheck} ask listed addresses
 * for keys with it. The node implements it; the link layer knows the node only through it, as
 * delivery knows it only through {@link FriendLink.Connector}. Unless said otherwise, called on
 * the transport's event loop.
 */
public interface LinkNode {
    /**
     * The peer's name.
     *
     * @return the name
     */
    String name();

    /**
     * This peer's key.
     *
     * @return the key
     */
    PeerKey publicKey();

    /**
     * The payload of this peer's HELLO, for its handshake messages.
     *
     * @return the encoded HELLO
     * @throws org.p2pchat.api.ProtocolException while the peer is still starting
     */
    byte[] helloPayload();

    /**
     * A secure channel over a connection, with this peer's identity.
     *
     * @param connection the connection
     * @param initiator whether this peer opened it
     * @return the channel, before its handshake
     */
    SecureChannel newChannel(Connection connection, boolean initiator);

    /**
     * The largest frame a connection accepts once its handshake has authenticated the peer.
     *
     * @return the limit in bytes
     */
    int maxFrameBytes();

    /**
     * How long a handshake may take.
     *
     * @return the handshake timeout
     */
    Duration handshakeTimeout();

    /**
     * What the node decides about the keys its handshakes prove.
     *
     * @return the trust decisions
     */
    TrustDecisions trust();

    /**
     * The warnings about single connections that anyone who reaches the port can cause (a
     * refused key, a protocol error): one line a second at most, with a count of the others.
     *
     * @return the throttled log
     */
    ThrottledLog connectionWarnings();

    /**
     * The places for authenticated connections.
     *
     * @return the slots
     */
    ConnectionSlots slots();

    /**
     * Whether the directory lists a name: a friend, as opposed to a stranger.
     *
     * @param peerName the name
     * @return true if listed
     */
    boolean isListed(String peerName);

    /**
     * Called when an accepted connection has proven its key and may speak for the name it gave.
     *
     * @param name the name it gave
     * @param key the key it proved
     * @param connection the connection
     * @param callBack where the peer can be called back if neither the directory nor a room
     *     lists it, or null
     * @return the link of that key
     */
    FriendLink introduced(String name, PeerKey key, LinkSession connection, PeerAddress callBack);

    /**
     * Called when a connection this peer opened for a link has proven the other side's key:
     * checks it is the key the link expects (or, for a friend not met yet, that the name
     * answered is the friend's and its key may speak for it, trusting it on first use).
     *
     * @param link the link the connection was opened for
     * @param name the name the other side gave
     * @param key the key it proved
     * @param address where the connection went
     * @return the link the connection belongs to: {@code link}, or the link already held for
     *     that key, which {@code link}'s messages were handed to
     * @throws org.p2pchat.api.PeerIdentityException if it is not the peer the link is for
     */
    FriendLink opened(FriendLink link, String name, PeerKey key, PeerAddress address);

    /**
     * Whether a key belongs to a member of one of this peer's rooms (or to the member a join
     * is asking): such a caller is admitted by its key, its name being a label in the room.
     *
     * @param key the key
     * @return true if it is a member
     */
    boolean isRoomMember(PeerKey key);

    /**
     * Called when an opened connection to a friend closes.
     *
     * @param link the friend's link
     * @param connection the connection
     * @param reason why it closed
     */
    void detached(FriendLink link, LinkSession connection, ConnectionClosedException reason);

    /**
     * Called on the event loop for new text messages, those of a frame that follow each other:
     * the listener gets them on its executor, and their bytes count against the peer's window
     * until the listener returns.
     *
     * <p>The store records them first (history, and what was delivered of the sender's
     * numbering), and the node tells the link's inflow when it has ({@link Inflow#recorded}):
     * only then may an acknowledgement cover them.
     *
     * @param link the link they came on
     * @param texts the messages, reused once this returns
     */
    void deliver(FriendLink link, ArrivedTexts texts);

    /**
     * Called on the event loop for a message sent again that was delivered before: the node
     * tells the link's inflow ({@link Inflow#recorded}) once the store has written what it was
     * given before, so that an acknowledgement covers it only then.
     *
     * @param link the link it came on
     * @param seq the number it came with, in the link's current epoch
     */
    void alreadyDelivered(FriendLink link, long seq);

    /**
     * Called on the event loop for each new message of a room kind, for the rooms to handle
     * off the event loop; its bytes count against the peer's window until they are done.
     *
     * @param link the link it came on
     * @param kind its kind
     * @param body its bytes
     * @param units what it counts against the window
     */
    void deliver(FriendLink link, byte kind, byte[] body, long units);

    /**
     * Watches a new connection for the Flight Recorder and the node's counters.
     *
     * @param initiator whether this peer opens it
     * @return the watch, one per connection
     */
    org.p2pchat.core.internal.observe.ConnectionWatch connectionWatch(boolean initiator);

    /**
     * Called when a handler leaves its handshake, either way.
     *
     * @param handler the handler
     */
    void handshakeEnded(LinkHandler handler);

    /**
     * The node's clock, for deadlines.
     *
     * @return nanoseconds, as {@link org.p2pchat.spi.Ticker#nanoTime} counts them
     */
    long now();

    /**
     * Called when a connection is open and has sent its first ACK: from now on it may carry the
     * file lane's frames. The default does nothing.
     *
     * @param link the peer's link
     * @param session the connection
     */
    default void established(FriendLink link, LinkSession session) {
    }

    /**
     * Called for a sealed frame of a type the conversation does not know (DATA, ACK and PING are
     * the link's): the file lane's. The default refuses it.
     *
     * @param link the peer's link
     * @param session the connection it came on
     * @param type the frame's type
     * @param plain the rest of the frame, valid during the call only
     * @throws org.p2pchat.api.ProtocolException if the type is unknown or the frame is wrong:
     *     the connection closes
     */
    default void laneFrame(FriendLink link, LinkSession session, byte type,
            java.nio.ByteBuffer plain) {
        throw new org.p2pchat.api.ProtocolException("unexpected frame of type " + type);
    }
}
