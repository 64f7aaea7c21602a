package org.p2pchat.core.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.core.internal.session.TrustStore;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@link Peer}: one transport, one {@link FriendLink} per friend it talks to, and the
 * listener's executor. Connections are opened lazily on the first message to a friend and reused
 * until they close (idle, or from the other side); the next message opens a new one.
 *
 * <p>Thread-safe. Application threads call {@link #send}; the transport's event loop calls the
 * package-private methods through {@link LinkHandler}.
 */
public final class ChatNode implements Peer {
    private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);

    private final String name;
    private final PeerDirectory directory;
    private final MessageListener listener;
    private final Executor callbacks;
    private final ExecutorService ownedExecutor;
    private final Transport transport;
    private final int maxFrameBytes;
    private final ConcurrentHashMap<String, FriendLink> links = new ConcurrentHashMap<>();
    private final SessionOptions session;
    private final SecureRandom random = new SecureRandom();
    private final HandshakeGate gate;
    private volatile PeerAddress listenAddress;
    private volatile byte[] helloPayload;
    private volatile boolean closed;

    /**
     * Creates a node; {@link #start} makes it listen.
     *
     * @param name the peer's name
     * @param directory the friends
     * @param listener receives messages
     * @param callbacks runs listener calls, one at a time
     * @param ownedExecutor the executor behind {@code callbacks} if this node created it and must
     *     shut it down, else null
     * @param transport the transport, owned by this node from now on
     * @param options the options the transport was created with
     * @param session identity, trust and handshake limits
     */
    public ChatNode(String name, PeerDirectory directory, MessageListener listener,
            Executor callbacks, ExecutorService ownedExecutor, Transport transport,
            TransportOptions options, SessionOptions session) {
        this.name = PeerEntry.validateName(name);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.callbacks = callbacks;
        this.ownedExecutor = ownedExecutor;
        this.transport = transport;
        this.maxFrameBytes = options.maxFrameBytes();
        this.session = session;
        this.gate = new HandshakeGate(name, session.handshakeTimeout(), session.maxHandshakes(), LOG);
    }

    /**
     * Starts listening. On failure the node closes itself and rethrows.
     *
     * @param address where to listen
     * @return this node
     */
    public ChatNode start(PeerAddress address) {
        try {
            listenAddress = transport.listen(address, this::accept).toCompletableFuture().join();
            helloPayload = toArray(WireCodec.hello(name, listenAddress));
        } catch (java.util.concurrent.CompletionException e) {
            close();
            throw e.getCause() instanceof P2pChatException p ? p
                    : new P2pChatException("cannot listen on " + address, e.getCause());
        }
        LOG.info("{} ({}) is listening on {}", name, publicKey().fingerprint(), listenAddress);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PeerAddress listenAddress() {
        return listenAddress;
    }

    @Override
    public PeerKey publicKey() {
        return session.identity().publicKey();
    }

    @Override
    public Optional<PeerKey> peerKey(String friend) {
        return session.trust().trustedKey(friend);
    }

    @Override
    public PeerDirectory directory() {
        return directory;
    }

    @Override
    public CompletionStage<Void> send(String friend, String text) {
        Objects.requireNonNull(friend, "friend");
        Objects.requireNonNull(text, "text");
        if (closed) {
            return CompletableFuture.failedFuture(new PeerClosedException(name + " is closed"));
        }
        FriendLink link = links.get(friend);
        if (link == null) {
            PeerEntry entry = directory.lookup(friend).orElse(null);
            if (entry == null) {
                return CompletableFuture.failedFuture(new UnknownPeerException(friend));
            }
            link = links.computeIfAbsent(friend, f -> new FriendLink(f, entry.address()));
        }
        try {
            ByteBuffer frame = TextFrameEncoder.encode(text,
                    maxFrameBytes - org.p2pchat.core.internal.noise.CipherState.TAG_BYTES);
            return link.send(frame, this::connect);
        } catch (P2pChatException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<SecureChannel> connect(FriendLink link, PeerAddress address) {
        CompletableFuture<SecureChannel> established = new CompletableFuture<>();
        LinkHandler handler = LinkHandler.opener(this, link, established);
        transport.connect(address, handler).whenComplete((connection, error) -> {
            if (error != null) {
                established.completeExceptionally(error);
            } else {
                gate.opened(handler, connection);
                handler.start(connection);
            }
        });
        return established;
    }

    /** Called on the event loop for each accepted connection. */
    private ConnectionHandler accept(Connection connection) {
        LinkHandler handler = LinkHandler.acceptor(this, connection);
        gate.admit(handler, connection);
        return handler;
    }

    /** Called on the event loop when a handler leaves its handshake, either way. */
    void handshakeEnded(LinkHandler handler) {
        gate.ended(handler);
    }

    SecureChannel newChannel(Connection connection, boolean initiator) {
        return new SecureChannel(connection, initiator, session.identity(), random,
                session.rekeyInterval());
    }

    byte[] helloPayload() {
        byte[] hello = helloPayload;
        if (hello == null) {
            throw new org.p2pchat.api.ProtocolException(name + " is still starting");
        }
        return hello;
    }

    /** The largest frame a connection accepts once its handshake has authenticated the peer. */
    int maxFrameBytes() {
        return maxFrameBytes;
    }

    Duration handshakeTimeout() {
        return gate.timeout();
    }

    /**
     * Called on the event loop when a peer has proven its key: checks that the key may speak for
     * the name, and tells the application about keys trusted on first use.
     */
    void trust(String peerName, PeerKey key) {
        if (session.trust().check(peerName, key) == TrustStore.Verdict.FIRST_USE) {
            LOG.info("{}: trusting {} with key {} on first use", name, peerName, key.fingerprint());
            callbacks.execute(() -> listener.onPeerKeyTrusted(peerName, key));
        }
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Override
    public ConnectionState connectionState(String friend) {
        FriendLink link = links.get(friend);
        return link == null ? ConnectionState.DISCONNECTED : link.state();
    }

    /**
     * Counts this peer's open connections to a friend; for tests and diagnostics.
     *
     * @param friend the friend's name
     * @return the number of open connections
     */
    public int openConnections(String friend) {
        FriendLink link = links.get(friend);
        return link == null ? 0 : link.openConnections();
    }

    /** Called on the event loop when an accepted connection says who it is. */
    FriendLink introduced(String friend, SecureChannel connection) {
        FriendLink link = links.computeIfAbsent(friend, f -> new FriendLink(f,
                directory.lookup(f).map(PeerEntry::address).orElse(null)));
        link.attach(connection);
        return link;
    }

    /** Called on the event loop when a connection to a friend closes. */
    void detached(FriendLink link, SecureChannel connection) {
        link.detach(connection);
        if (link.isDisposable()) {
            links.remove(link.friend(), link);
        }
    }

    /** Called on the event loop for each text message. */
    void deliver(String from, String text) {
        ChatMessage message = new ChatMessage(from, text, Instant.now());
        callbacks.execute(() -> listener.onMessage(message));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.close();
        transport.close();
        PeerClosedException reason = new PeerClosedException(name + " closed");
        links.values().forEach(l -> l.failPending(reason));
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        LOG.info("{} closed", name);
    }

    @Override
    public String toString() {
        return "Peer[" + name + " on " + listenAddress + "]";
    }
}
