package org.p2pchat.core.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
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
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.spi.Connection;
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
    private volatile PeerAddress listenAddress;
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
     */
    public ChatNode(String name, PeerDirectory directory, MessageListener listener,
            Executor callbacks, ExecutorService ownedExecutor, Transport transport,
            TransportOptions options) {
        this.name = PeerEntry.validateName(name);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.callbacks = callbacks;
        this.ownedExecutor = ownedExecutor;
        this.transport = transport;
        this.maxFrameBytes = options.maxFrameBytes();
    }

    /**
     * Starts listening. On failure the node closes itself and rethrows.
     *
     * @param address where to listen
     * @return this node
     */
    public ChatNode start(PeerAddress address) {
        try {
            listenAddress = transport.listen(address, c -> new LinkHandler(this, null))
                    .toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            close();
            throw e.getCause() instanceof P2pChatException p ? p
                    : new P2pChatException("cannot listen on " + address, e.getCause());
        }
        LOG.info("{} is listening on {}", name, listenAddress);
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
            ByteBuffer frame = TextFrameEncoder.encode(text, maxFrameBytes);
            return link.send(frame, this::connect);
        } catch (P2pChatException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<Connection> connect(FriendLink link, PeerAddress address) {
        return transport.connect(address, new LinkHandler(this, link))
                .thenApply(c -> {
                    c.write(WireCodec.hello(name, listenAddress));
                    return c;
                });
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
    FriendLink introduced(String friend, Connection connection) {
        FriendLink link = links.computeIfAbsent(friend, f -> new FriendLink(f,
                directory.lookup(f).map(PeerEntry::address).orElse(null)));
        link.attach(connection);
        return link;
    }

    /** Called on the event loop when a connection to a friend closes. */
    void detached(FriendLink link, Connection connection) {
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
