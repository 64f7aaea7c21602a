package org.p2pchat.core.internal.link;

import java.time.Duration;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
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
     * Called when an accepted connection says who it is.
     *
     * @param friend the name it proved
     * @param connection the connection
     * @param callBack where the friend can be called back if the directory does not list it, or
     *     null
     * @return the friend's link
     */
    FriendLink introduced(String friend, LinkSession connection, PeerAddress callBack);

    /**
     * Called when an opened connection to a friend closes.
     *
     * @param link the friend's link
     * @param connection the connection
     * @param reason why it closed
     */
    void detached(FriendLink link, LinkSession connection, ConnectionClosedException reason);

    /**
     * Called for each new message: the listener gets it on its executor, and its bytes count
     * against the friend's window until the listener returns.
     *
     * @param from the friend's name
     * @param text the message
     * @param units what the message counts against the window
     * @param inflow the friend's inflow, told when the listener is done
     */
    void deliver(String from, String text, long units, Inflow inflow);

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
}
