package org.p2pchat.core.internal.link;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Inflow;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.delivery.Strangers;
import org.p2pchat.core.internal.runtime.AfterFrame;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.core.internal.session.TrustStore;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection for a node ({@link LinkNode}): the Noise XX handshake, in which each side
 * proves its key and names itself, the trust decision, then the sealed frames of the
 * conversation.
 *
 * <pre>
 * opener                               acceptor
 *   -- handshake 1: e ------------------&gt;
 *   &lt;- handshake 2: e, ee, s, es, HELLO --
 *   -- handshake 3: s, se, HELLO -------&gt;   checks the opener's key
 *   &lt;- sealed ACCEPT (or REFUSE), ACK ---
 *   -- sealed ACK ----------------------&gt;
 *   &lt;== DATA, ACK and PING, both ways ==&gt;
 * </pre>
 *
 * <p>Each side's first sealed frame after ACCEPT is an ACK: it tells the other what already
 * arrived (so a reconnect does not send it again) and grants the first window. DATA frames are
 * acknowledged once per read ({@link #onReadComplete}), so one ACK covers every frame of a burst.
 *
 * <p>The opener checks the acceptor's name and key before it reveals its own name; neither side
 * hands a message to the application before the other's key is trusted. Anything unexpected
 * closes the connection. Called on the transport's event loop only, except {@link #expire}.
 */
public final class LinkHandler implements ConnectionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LinkHandler.class);

    private enum Step {
        AWAIT_HANDSHAKE_1, AWAIT_HANDSHAKE_2, AWAIT_HANDSHAKE_3,
        /** The acceptor checks the opener's key at the address listed for its name. */
        AWAIT_CONFIRMATION,
        AWAIT_ACCEPT, OPEN, CLOSED
    }

    private static final int HANDSHAKE_1_BYTES = 32;
    /**
     * The largest frame a connection accepts until the other side's key is trusted: handshake
     * messages are at most 32, 80 + HELLO + 16 and 48 + HELLO + 16 bytes, a HELLO at most 526
     * (with a 255-byte name and address), so a stranger cannot make this peer hold a buffer of
     * {@code p2pchat.maxFrameBytes} for each handshake in progress.
     */
    static final int HANDSHAKE_FRAME_BYTES = 1024;

    private final LinkNode node;
    private final CompletableFuture<LinkSession> established;
    private volatile Step step;
    private FriendLink link;
    private SecureChannel channel;
    private WireCodec.Hello hello;
    private LinkSession session;
    private boolean ackOwed;
    /** Tells the Flight Recorder and the node's counters how the connection fares. */
    private final org.p2pchat.core.internal.observe.ConnectionWatch watch;
    /** Hands what a DATA frame brings to the node: made once, so no allocation per frame. */
    private final Inflow.Delivery delivery = new Inflow.Delivery() {
        @Override
        public void deliver(org.p2pchat.core.internal.delivery.ArrivedTexts texts) {
            node.deliver(link, texts);
        }

        @Override
        public void alreadyDelivered(long seq) {
            node.alreadyDelivered(link, seq);
        }

        @Override
        public void deliver(byte kind, byte[] body, long units) {
            node.deliver(link, kind, body, units);
        }
    };

    private LinkHandler(LinkNode node, FriendLink link, Step first,
            CompletableFuture<LinkSession> established) {
        this.node = node;
        this.link = link;
        this.step = first;
        this.established = established;
        this.watch = node.connectionWatch(first == Step.AWAIT_HANDSHAKE_2);
    }

    /** A handler for a connection this peer opens to a friend. */
    public static LinkHandler opener(LinkNode node, FriendLink link,
            CompletableFuture<LinkSession> established) {
        return new LinkHandler(node, link, Step.AWAIT_HANDSHAKE_2, established);
    }

    /** A handler for an accepted connection. */
    public static LinkHandler acceptor(LinkNode node, Connection connection) {
        LinkHandler h = new LinkHandler(node, null, Step.AWAIT_HANDSHAKE_1, new CompletableFuture<>());
        h.channel = node.newChannel(connection, false);
        h.watch.started(connection);
        return h;
    }

    /** Opener, once connected: sends the first handshake message. */
    public void start(Connection connection) {
        channel = node.newChannel(connection, true);
        watch.started(connection);
        try {
            channel.writeHandshake(new byte[0]);
        } catch (P2pChatException e) {
            fail(connection, e, Reason.IO_ERROR);
        }
    }

    /** Any thread: closes a connection whose handshake did not finish in time. */
    void expire(Connection connection) {
        if (step != Step.OPEN && step != Step.CLOSED) {
            fail(connection, new PeerUnreachableException("handshake with " + connection.remoteAddress()
                    + " did not complete within " + node.handshakeTimeout()
                    + " (p2pchat.handshakeTimeout)"), Reason.PROTOCOL_ERROR);
        }
    }

    /** The handshake timeout, cancelled once the handshake ends either way. */
    volatile java.util.concurrent.Future<?> expiry;

    /**
     * Handles one frame. Stage callbacks it triggers (acknowledged sends) run inside, with the
     * thread marked as the peer's ({@link NodeThreads}).
     */
    @Override
    public void onFrame(Connection connection, ByteBuffer frame) {
        // Spelt out rather than NodeThreads.runMarked: no capturing lambda for every frame.
        boolean marked = NodeThreads.enter();
        try {
            frame(connection, frame);
        } finally {
            NodeThreads.exit(marked);
        }
    }

    private void frame(Connection connection, ByteBuffer frame) {
        try {
            switch (step) {
                case AWAIT_HANDSHAKE_1 -> {
                    if (frame.remaining() != HANDSHAKE_1_BYTES) {
                        // Only an ephemeral key, no payload: nothing unauthenticated is processed.
                        throw new ProtocolException("handshake message 1 of " + frame.remaining()
                                + " bytes; expected " + HANDSHAKE_1_BYTES);
                    }
                    channel.readHandshake(frame);
                    channel.writeHandshake(node.helloPayload());
                    step = Step.AWAIT_HANDSHAKE_3;
                }
                case AWAIT_HANDSHAKE_2 -> {
                    hello = WireCodec.readHelloPayload(channel.readHandshake(frame));
                    WireCodec.checkSigningKey(hello, channel.remoteKey());
                    // Checks the key it proved against the one expected (or the name, for a
                    // friend not met yet), and may hand over to the link of that key.
                    link = node.opened(link, hello.name(), channel.remoteKey(),
                            connection.remoteAddress());
                    // The acceptor has proved its trusted key: its ACCEPT and the sealed frames
                    // right behind it may be full size.
                    connection.maxInboundFrameBytes(node.maxFrameBytes());
                    channel.writeHandshake(node.helloPayload());
                    step = Step.AWAIT_ACCEPT;
                }
                case AWAIT_HANDSHAKE_3 -> acceptOpener(connection, frame);
                case AWAIT_CONFIRMATION -> throw new ProtocolException("sent a frame before ACCEPT");
                case AWAIT_ACCEPT -> awaitAccept(connection, channel.open(frame));
                case OPEN -> onSealed(channel.open(frame));
                default -> { }
            }
        } catch (PeerIdentityException e) {
            node.connectionWarnings().warn("{}: refusing connection {} with {}: {}", node.name(),
                    connection.id(), connection.remoteAddress(), e.getMessage());
            fail(connection, e, Reason.PROTOCOL_ERROR);
        } catch (ProtocolException e) {
            node.connectionWarnings().warn("{}: closing connection {} with {}: {}", node.name(),
                    connection.id(), connection.remoteAddress(), e.getMessage());
            fail(connection, e, Reason.PROTOCOL_ERROR);
        } catch (P2pChatException e) {
            // A write (the handshake's, ACCEPT, REFUSE) found the connection aborted meanwhile,
            // by its timeout for instance, or its queue full: nothing the friend did wrong and
            // nothing for the transport to report as a handler failure.
            LOG.debug("{}: closing connection {} with {}: {}", node.name(), connection.id(),
                    connection.remoteAddress(), e.getMessage());
            fail(connection, e, Reason.IO_ERROR);
        }
    }

    private void acceptOpener(Connection connection, ByteBuffer frame) {
        byte[] payload = channel.readHandshake(frame);
        int version = WireCodec.helloVersion(payload);
        if (version != WireCodec.VERSION) {
            refuseVersion(connection, version);
            return;
        }
        hello = WireCodec.readHelloPayload(payload);
        WireCodec.checkSigningKey(hello, channel.remoteKey());
        if (node.isRoomMember(channel.remoteKey())) {
            // A member of a room of this peer: its key is its identity there, and its name a
            // label in the room, whatever the user_info table says of that name.
            admit(connection);
            return;
        }
        TrustStore.Verdict verdict;
        try {
            verdict = node.trust().caller(hello.name(), channel.remoteKey());
        } catch (PeerIdentityException e) {
            refuse(connection, e, "'" + hello.name() + "' presented key "
                    + channel.remoteKey().fingerprint() + ", which " + node.name()
                    + " does not trust for that name (pinned or remembered); if your key changed,"
                    + " ask " + node.name() + " to update it");
            return;
        }
        if (verdict == TrustStore.Verdict.UNCONFIRMED) {
            // A listed friend's name with a key not known yet: ask the listed address first.
            step = Step.AWAIT_CONFIRMATION;
            node.trust().confirmAtListedAddress(hello.name(), channel.remoteKey())
                    .whenComplete((ok, failure) -> confirmed(connection, failure));
            return;
        }
        admit(connection);
    }

    /** Any thread: the listed address answered for the opener, or could not vouch for it. */
    private void confirmed(Connection connection, Throwable failure) {
        boolean marked = NodeThreads.enter();
        try {
            synchronized (this) {
                if (step != Step.AWAIT_CONFIRMATION) {
                    return;
                }
                Throwable cause = failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure;
                if (cause == null) {
                    admit(connection);
                } else if (cause instanceof PeerIdentityException refused) {
                    // The caller is told what happened, not where this peer looked: the listed
                    // address of a friend is not for a stranger to learn.
                    refuse(connection, refused, node.name() + " could not confirm that key for '"
                            + hello.name() + "' at the address its user_info table lists for that"
                            + " name; if you are " + hello.name() + ", ask " + node.name()
                            + " to pin your key or to fix your address in the table");
                } else {
                    fail(connection, new ProtocolException("confirming " + hello.name()
                            + " failed: " + cause), Reason.PROTOCOL_ERROR);
                }
            }
        } catch (P2pChatException e) {
            // The connection was aborted meanwhile (its handshake timed out, say).
            fail(connection, e, Reason.IO_ERROR);
        } finally {
            NodeThreads.exit(marked);
        }
    }

    /** Refuses the opener for now: no place for it; it may call again later. */
    private void refuseBusy(Connection connection, String why) {
        node.connectionWarnings().warn("{}: refusing {} from {}: {}", node.name(), hello.name(),
                connection.remoteAddress(), why);
        step = Step.CLOSED;
        channel.write(WireCodec.refuse(WireCodec.BUSY_PREFIX + why,
                hello.maxFrameBytes() - org.p2pchat.core.internal.noise.CipherState.TAG_BYTES));
        connection.close();
    }

    /** Refuses the opener: the application is told, the opener reads {@code told}. */
    private void refuse(Connection connection, PeerIdentityException e, String told) {
        node.connectionWarnings().warn("{}: refusing {} from {}: {}", node.name(),
                hello.name(), connection.remoteAddress(), e.getMessage());
        node.trust().refused(hello.name(), e);
        step = Step.CLOSED;
        // The caller learns nothing of the key this peer trusts: no fingerprint to aim at.
        channel.write(WireCodec.refuse(told,
                hello.maxFrameBytes() - org.p2pchat.core.internal.noise.CipherState.TAG_BYTES));
        connection.close();
    }

    /** The opener's key may speak for its name: ACCEPT, and its messages go to the link. */
    private void admit(Connection connection) {
        LinkSession opened = new LinkSession(channel, hello.epoch(), hello.maxFrameBytes(),
                node.now(), openerHasSmallerKey(channel.remoteKey(), node.publicKey()));
        if (node.isListed(hello.name()) || node.isRoomMember(channel.remoteKey())) {
            node.slots().claimForFriend(opened);
        } else {
            String busy = node.slots().claimForStranger(opened, connection.remoteAddress().host());
            if (busy != null) {
                refuseBusy(connection, busy);
                return;
            }
        }
        // The opener has proved its trusted key: raise the limit before ACCEPT lets it send.
        connection.maxInboundFrameBytes(node.maxFrameBytes());
        channel.write(WireCodec.accept());
        step = Step.OPEN;
        node.handshakeEnded(this);
        watch.completed(hello.name(), channel.remoteKey());
        session = opened;
        link = node.introduced(hello.name(), channel.remoteKey(), session,
                Strangers.callBackAddress(connection.remoteAddress(), hello.listenAddress()));
        link.inflow().acknowledge(session);
        node.established(link, session);
        established.complete(session);
        LOG.debug("{}: connection {} from {} is {} ({})", node.name(), connection.id(),
                connection.remoteAddress(), hello.name(), channel.remoteKey().fingerprint());
    }

    /**
     * The opener speaks another protocol version. Its key is proved but its HELLO cannot be
     * read, so nothing is trusted; it still gets a REFUSE naming both versions, sealed, which is
     * what an opener of version 2 or 3 reads after handshake message 3, so that its user learns
     * why. It reveals nothing that this peer's own HELLO did not.
     */
    private void refuseVersion(Connection connection, int version) {
        node.connectionWarnings().warn("{}: refusing connection {} from {}: {}", node.name(),
                connection.id(), connection.remoteAddress(), WireCodec.otherVersion(version));
        step = Step.CLOSED;
        channel.write(WireCodec.refuseVersion(version));
        connection.close();
    }

    private void awaitAccept(Connection connection, ByteBuffer plain) {
        byte type = WireCodec.type(plain);
        if (type == WireCodec.REFUSE) {
            String why = text(plain);
            if (why.startsWith(WireCodec.BUSY_PREFIX)) {
                // Not about who this peer is: try again later.
                throw new org.p2pchat.api.ConnectionLimitException(link.friend() + " refused the"
                        + " connection for now: " + why);
            }
            throw new PeerIdentityException(link.friend() + " refused this peer: " + why);
        }
        if (type != WireCodec.ACCEPT) {
            throw new ProtocolException("expected ACCEPT or REFUSE, got a frame of type " + type);
        }
        MessageFrames.expectEnd(plain, "ACCEPT");
        step = Step.OPEN;
        node.handshakeEnded(this);
        watch.completed(hello.name(), channel.remoteKey());
        session = new LinkSession(channel, hello.epoch(), hello.maxFrameBytes(), node.now(),
                openerHasSmallerKey(node.publicKey(), channel.remoteKey()));
        // A connection this peer opened is one it wants: it is never refused a place.
        node.slots().claimForFriend(session);
        link.attach(session);
        link.inflow().acknowledge(session);
        node.established(link, session);
        established.complete(session);
        LOG.debug("{}: connection {} to {} is open ({})", node.name(), connection.id(),
                link.friend(), channel.remoteKey().fingerprint());
    }

    /**
     * Whether a connection is the one both sides keep if they opened two to each other: the one
     * whose opener has the smaller key, bytes compared unsigned.
     */
    static boolean openerHasSmallerKey(org.p2pchat.api.PeerKey opener,
            org.p2pchat.api.PeerKey other) {
        return java.util.Arrays.compareUnsigned(opener.bytes(), other.bytes()) < 0;
    }

    private void onSealed(ByteBuffer plain) {
        session.heard(node.now());
        byte type = WireCodec.type(plain);
        switch (type) {
            case MessageFrames.DATA -> {
                if (!session.isOpen()) {
                    // Closing, perhaps because the friend restarted and this is its old process
                    // numbering: what is not acknowledged here is sent again on a new connection.
                    return;
                }
                // Listener calls on this thread (callbacksOnNetworkThread) wait for the frame's end:
                // the inflow's lock is held while it is read.
                boolean held = AfterFrame.hold();
                try {
                    link.inflow().receive(plain, session, delivery);
                } finally {
                    AfterFrame.release(held);
                }
                ackOwed = true;
            }
            case MessageFrames.ACK -> {
                long[] ack = MessageFrames.readAck(plain);
                link.acknowledged(session, ack[0], ack[1]);
            }
            case MessageFrames.PING -> {
                MessageFrames.expectEnd(plain, "PING");
                ackOwed = true;
            }
            default -> node.laneFrame(link, session, type, plain);
        }
    }

    @Override
    public void onReadComplete(Connection connection) {
        if (ackOwed) {
            ackOwed = false;
            link.inflow().acknowledge(session);
        }
    }

    /** Reads the rest of an opened frame as UTF-8; {@link SecureChannel#open} gives heap buffers. */
    private static String text(ByteBuffer plain) {
        String s = new String(plain.array(), plain.arrayOffset() + plain.position(),
                plain.remaining(), StandardCharsets.UTF_8);
        plain.position(plain.limit());
        return s;
    }

    private void fail(Connection connection, P2pChatException cause, Reason reason) {
        step = Step.CLOSED;
        established.completeExceptionally(cause);
        connection.abort(new ConnectionClosedException(reason, cause.getMessage(), cause));
    }

    @Override
    public void onClosed(Connection connection, ConnectionClosedException reason) {
        NodeThreads.runMarked(() -> closed(connection, reason));
    }

    private void closed(Connection connection, ConnectionClosedException reason) {
        Step last = step;
        step = Step.CLOSED;
        node.handshakeEnded(this);
        watch.closed(reason, link == null ? null : link.friend(), last.name());
        if (!established.isDone()) {
            established.completeExceptionally(new PeerUnreachableException("connection to "
                    + connection.remoteAddress() + " closed during the handshake: "
                    + reason.getMessage(), reason));
        }
        LOG.debug("{}: connection {} ({}) closed in {}: {}", node.name(), connection.id(),
                link == null ? connection.remoteAddress() : link.friend(), last, reason.getMessage());
        if (link != null && session != null) {
            // Opened once (fail() may have set CLOSED since): the link must let it go.
            node.detached(link, session, reason);
        }
    }
}
