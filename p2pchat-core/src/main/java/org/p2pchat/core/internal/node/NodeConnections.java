package org.p2pchat.core.internal.node;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.link.HandshakeAdmission;
import org.p2pchat.core.internal.link.HandshakeGate;
import org.p2pchat.core.internal.link.LinkHandler;
import org.p2pchat.core.internal.link.LinkNode;
import org.p2pchat.core.internal.link.SessionOptions;
import org.p2pchat.core.internal.link.WireCodec;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Ticker;
import org.p2pchat.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connections up to the end of their handshake: it listens, opens connections for the
 * node's links, puts each connection through the {@link HandshakeGate} (which caps and paces
 * accepted handshakes and times out every one), and holds what each handshake needs of this
 * peer: the HELLO that names it and a secure channel with its identity. Each connection is run
 * by a {@link LinkHandler} for the node's {@link LinkNode}.
 *
 * <p>Thread-safe. {@link #listen} is called once, as the node starts; the transport's event
 * loop accepts connections and hands them on; any thread may open one.
 */
final class NodeConnections {
    // The node's logger: what a user sees of refused handshakes is the node's, as before.
    private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);

    private final LinkNode node;
    private final String name;
    private final PeerDirectory directory;
    private final Transport transport;
    private final SessionOptions session;
    private final SecureRandom random;
    private final long epoch;
    private final int maxFrameBytes;
    private final HandshakeGate gate;
    private volatile PeerAddress listenAddress;
    private volatile byte[] helloPayload;

    /**
     * Prepares the connections of a node; none is made before {@link #listen} or a connect.
     *
     * @param node what the handlers of these connections work for
     * @param name the peer's name
     * @param directory the friends, whose hosts are no strangers' to the gate
     * @param transport the node's transport
     * @param session identity and handshake limits
     * @param random draws the gate's random drops and the channels' nonces
     * @param epoch the random number this process announces in its HELLO
     * @param maxFrameBytes the largest frame this peer accepts, announced in its HELLO
     * @param timer times out handshakes
     */
    NodeConnections(LinkNode node, String name, PeerDirectory directory, Transport transport,
            SessionOptions session, SecureRandom random, long epoch, int maxFrameBytes,
            ScheduledExecutorService timer) {
        this.node = node;
        this.name = name;
        this.directory = directory;
        this.transport = transport;
        this.session = session;
        this.random = random;
        this.epoch = epoch;
        this.maxFrameBytes = maxFrameBytes;
        HandshakeAdmission admission = new HandshakeAdmission(
                HandshakeAdmission.Limits.of(session.maxHandshakes(), session.handshakeRate()), Ticker.system(), random,
                this::friendHosts);
        this.gate = new HandshakeGate(name, session.handshakeTimeout(), admission, timer, LOG);
    }

    /**
     * Listens, and makes the HELLO that names this peer and where it listens.
     *
     * @param address where to listen
     * @throws java.util.concurrent.CompletionException if the transport cannot listen there
     */
    void listen(PeerAddress address) {
        listenAddress = transport.listen(address, this::accept).toCompletableFuture().join();
        helloPayload = toArray(WireCodec.hello(name, listenAddress, epoch, maxFrameBytes,
                session.identity().signer().publicKey()));
    }

    /** Where the node listens; null before {@link #listen}. */
    PeerAddress listenAddress() {
        return listenAddress;
    }

    /**
     * Opens a connection for a link, and runs its handshake.
     *
     * @param link the link
     * @param address where to call
     * @return completes when the connection is open and authenticated; fails if it is not
     */
    CompletionStage<Void> connect(FriendLink link, PeerAddress address) {
        CompletableFuture<LinkSession> established = new CompletableFuture<>();
        LinkHandler handler = LinkHandler.opener(node, link, established);
        transport.connect(address, handler).whenComplete((connection, error) -> {
            // Usually the transport's loop: what the outcome triggers must not block it.
            boolean marked = NodeThreads.enter();
            try {
                if (error != null) {
                    established.completeExceptionally(error);
                } else {
                    gate.opened(handler, connection);
                    handler.start(connection);
                }
            } finally {
                NodeThreads.exit(marked);
            }
        });
        return established.thenApply(s -> null);
    }

    /** The hosts the directory lists friends at, whose connections are no stranger's. */
    private Set<String> friendHosts() {
        Set<String> hosts = new HashSet<>();
        for (PeerEntry e : directory.entries()) {
            hosts.add(e.address().host());
        }
        return hosts;
    }

    /** Called on the event loop for each accepted connection. */
    private ConnectionHandler accept(Connection connection) {
        LinkHandler handler = LinkHandler.acceptor(node, connection);
        gate.admit(handler, connection);
        return handler;
    }

    /** See {@link LinkNode#handshakeEnded}. */
    void handshakeEnded(LinkHandler handler) {
        gate.ended(handler);
    }

    /** See {@link LinkNode#handshakeTimeout}. */
    Duration handshakeTimeout() {
        return gate.timeout();
    }

    /** See {@link LinkNode#newChannel}. */
    SecureChannel newChannel(Connection connection, boolean initiator) {
        return new SecureChannel(connection, initiator, session.identity(), random,
                session.rekeyInterval());
    }

    /** See {@link LinkNode#helloPayload}. */
    byte[] helloPayload() {
        byte[] hello = helloPayload;
        if (hello == null) {
            throw new ProtocolException(name + " is still starting");
        }
        return hello;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
