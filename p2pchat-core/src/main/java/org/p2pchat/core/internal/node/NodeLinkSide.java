package org.p2pchat.core.internal.node;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.ArrivedTexts;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Inflow;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.files.FileTransfers;
import org.p2pchat.core.internal.link.ConnectionSlots;
import org.p2pchat.core.internal.link.LinkHandler;
import org.p2pchat.core.internal.link.LinkNode;
import org.p2pchat.core.internal.link.TrustDecisions;
import org.p2pchat.core.internal.observe.ConnectionWatch;
import org.p2pchat.core.internal.runtime.ThrottledLog;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;
import org.slf4j.LoggerFactory;

/**
 * What a node gives the link layer ({@link LinkNode}): the handshakes' needs go to its {@link
 * NodeConnections}, the keys they prove to its {@link LinkTable} and {@link TrustDecisions},
 * and what an open connection carries to the node's arrivals, rooms and file transfers. It holds
 * only what the link layer alone uses (the connection slots, the throttled connection warnings)
 * and reads the rest through the node, its file transfers included, which
 * {@link ChatNode#fileOptions} may replace before the node starts.
 *
 * <p>Thread-safe, as the node is. The transport's event loop calls it, through a {@link
 * LinkHandler} for each connection and a {@code KeyProbe} for each listed address asked for its
 * key, unless {@link LinkNode} says otherwise of a call.
 */
final class NodeLinkSide implements LinkNode {
    private final ChatNode node;
    private final ThrottledLog connectionWarnings =
            new ThrottledLog(LoggerFactory.getLogger(LinkHandler.class));
    private final ConnectionSlots slots;

    /**
     * Makes the link side of a node.
     *
     * @param node the node, still being made: the link layer asks nothing of it before it
     *     listens or opens a connection
     * @param maxConnections how many authenticated connections the node holds at once
     */
    NodeLinkSide(ChatNode node, int maxConnections) {
        this.node = node;
        this.slots = new ConnectionSlots(maxConnections);
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public PeerKey publicKey() {
        return node.publicKey();
    }

    @Override
    public ConnectionWatch connectionWatch(boolean initiator) {
        return new ConnectionWatch(initiator, node.counters());
    }

    /** Called on the event loop when a handler leaves its handshake, either way. */
    @Override
    public void handshakeEnded(LinkHandler handler) {
        node.connections().handshakeEnded(handler);
    }

    @Override
    public SecureChannel newChannel(Connection connection, boolean initiator) {
        return node.connections().newChannel(connection, initiator);
    }

    @Override
    public byte[] helloPayload() {
        return node.connections().helloPayload();
    }

    /** The largest frame a connection accepts once its handshake has authenticated the peer. */
    @Override
    public int maxFrameBytes() {
        return node.maxFrameBytes();
    }

    @Override
    public Duration handshakeTimeout() {
        return node.connections().handshakeTimeout();
    }

    /** What the node decides about the keys its handshakes prove. */
    @Override
    public TrustDecisions trust() {
        return node.trust();
    }

    /**
     * The warnings about single connections that anyone who reaches the port can cause (a
     * refused key, a protocol error): one line a second at most, with a count of the others.
     */
    @Override
    public ThrottledLog connectionWarnings() {
        return connectionWarnings;
    }

    /** The places for authenticated connections. */
    @Override
    public ConnectionSlots slots() {
        return slots;
    }

    /** Whether the directory lists a name: a friend, as opposed to a stranger. */
    @Override
    public boolean isListed(String peerName) {
        return node.links().isListed(peerName);
    }

    @Override
    public boolean isRoomMember(PeerKey key) {
        return node.roomLayer().isMember(key);
    }

    /**
     * Called on the event loop when an accepted connection has proven its key and may speak for
     * the name it gave. A friend of the directory this peer was about to call for the first time
     * (its link is under its name) gets that link, now under its key.
     */
    @Override
    public FriendLink introduced(String peerName, PeerKey key, LinkSession connection,
            PeerAddress callBack) {
        return node.links().introduced(peerName, key, connection, callBack);
    }

    @Override
    public FriendLink opened(FriendLink link, String peerName, PeerKey key, PeerAddress address) {
        return node.links().opened(link, peerName, key, address);
    }

    /** Called on the event loop when a connection to a friend closes. */
    @Override
    public void detached(FriendLink link, LinkSession connection,
            ConnectionClosedException reason) {
        slots.release(connection);
        link.counters().closed(reason.reason());
        node.files().detached(link.key(), connection);
        link.detach(connection, reason);
        node.links().forgetIfDisposable(link);
    }

    @Override
    public void established(FriendLink link, LinkSession session) {
        link.counters().opened();
        node.files().established(link.key(), session);
    }

    /** Called on the event loop for each new text message: see {@link DirectArrivals}. */
    @Override
    public void deliver(FriendLink link, ArrivedTexts texts) {
        node.arrivals().texts(link, texts);
    }

    @Override
    public void alreadyDelivered(FriendLink link, long seq) {
        node.arrivals().copy(link, seq);
    }

    @Override
    public void deliver(FriendLink link, byte kind, byte[] body, long units) {
        Inflow inflow = link.inflow();
        if (kind == MessageFrames.KIND_FILE) {
            node.files().control(link.key(), link.friend(), body, () -> inflow.consumed(units));
            return;
        }
        node.roomLayer().received(link.key(), kind, body, () -> inflow.consumed(units));
    }

    @Override
    public void laneFrame(FriendLink link, LinkSession session, byte type, ByteBuffer plain) {
        if (!FileTransfers.isFileFrame(type)) {
            throw new org.p2pchat.api.ProtocolException("unexpected frame of type " + type);
        }
        node.files().frame(link.key(), session, type, plain);
    }

    /** The node's clock, for deadlines. */
    @Override
    public long now() {
        return node.ticker().nanoTime();
    }
}
