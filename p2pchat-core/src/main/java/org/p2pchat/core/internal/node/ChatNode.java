package org.p2pchat.core.internal.node;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.KnownPeer;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.PeerStats;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.core.internal.delivery.DeliveryOptions;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.MemoryBudget;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.files.FileOptions;
import org.p2pchat.core.internal.files.FileTransfers;
import org.p2pchat.core.internal.link.LinkHandler;
import org.p2pchat.core.internal.link.LinkNode;
import org.p2pchat.core.internal.link.ListedAddressCheck;
import org.p2pchat.core.internal.link.SessionOptions;
import org.p2pchat.core.internal.link.TrustDecisions;
import org.p2pchat.core.internal.observe.NodeCounters;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.core.internal.runtime.SerialCallbacks;
import org.p2pchat.core.internal.runtime.SerialExecutor;
import org.p2pchat.core.internal.runtime.ThrottledLog;
import org.p2pchat.core.internal.room.RoomOptions;
import org.p2pchat.core.internal.room.Rooms;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.delivery.ReceiveLedger;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.StoreWrite;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.Ticker;
import org.p2pchat.spi.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@link Peer}: one transport, one {@link FriendLink} per friend it talks to, the
 * listener's executor, and one timer thread for handshake deadlines, heartbeats, delivery timeouts
 * and reconnections. Connections are opened lazily on the first message to a friend and reused
 * until they close (idle, or from the other side); messages not yet acknowledged then go out again
 * on the next one. The links and who is who are a {@link LinkTable}'s; listening, opening
 * connections and what their handshakes need of this peer are a {@link NodeConnections}'; what
 * the link layer asks ({@link LinkNode}) is a {@link NodeLinkSide}'s; closing is a {@link
 * NodeClosing}'s. What is left here is the wiring, and handing each call of the application
 * ({@link Peer}) to the part that does it.
 *
 * <p>Thread-safe. Application threads call {@link #send}; the transport's event loop calls the
 * node's {@link NodeLinkSide} through {@link LinkHandler}.
 */
public final class ChatNode implements Peer {
    private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);

    private final String name;
    private final PeerDirectory directory;
    private final MessageListener listener;
    private final SerialExecutor callbacks;
    private final Transport transport;
    private final int maxFrameBytes;
    private final LinkTable links;
    private final Rooms rooms;
    private final RoomOptions roomOptions;
    private final SessionOptions session;
    private final DeliveryOptions delivery;
    private final SecureRandom random = new SecureRandom();
    private final long epoch = random.nextLong();
    private final Ticker ticker;
    private final ScheduledThreadPoolExecutor timer;
    private final NodeLinkSide linkSide;
    private final NodeProbe probe = new NodeProbe(this);
    private final NodeConnections connections;
    private final TrustDecisions trust;
    private final MemoryBudget memory;
    private final NodeClosing closing;
    private final MessageStore store;
    private final DirectHistory history;
    private final DirectArrivals arrivals;
    private volatile FileTransfers files;
    /** The node's own counters, and the snapshot of every link's ({@link #stats}). */
    private final NodeCounters observed;

    /**
     * Creates a node; {@link #start} makes it listen.
     *
     * @param name the peer's name
     * @param directory the friends
     * @param listener receives messages
     * @param callbacks the executor listener calls run on; the node runs them one at a time
     * @param ownedExecutor the executor behind {@code callbacks} if this node created it and must
     *     shut it down, else null
     * @param transport the transport, owned by this node from now on
     * @param options the options the transport was created with
     * @param session identity, trust and handshake limits
     * @param delivery timeouts and limits of reliable delivery
     * @param roomOptions the timing of rooms
     * @param store the history, outbox and receive records, owned by this node from now on
     */
    public ChatNode(String name, PeerDirectory directory, MessageListener listener,
            Executor callbacks, ExecutorService ownedExecutor, Transport transport,
            TransportOptions options, SessionOptions session, DeliveryOptions delivery,
            RoomOptions roomOptions, MessageStore store) {
        this.name = PeerEntry.validateName(name);
        this.store = Objects.requireNonNull(store, "store");
        this.history = new DirectHistory(store, session.identity().publicKey(), this.name, epoch);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transport = transport;
        this.maxFrameBytes = options.maxFrameBytes();
        this.session = session;
        this.delivery = delivery;
        this.ticker = options.ticker();
        this.observed = new NodeCounters(ticker);
        this.timer = new ScheduledThreadPoolExecutor(1, SerialCallbacks.daemonThreads(name + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.callbacks = new SerialExecutor(callbacks, timer);
        this.arrivals = new DirectArrivals(this.name, history, store, this.callbacks,
                this.listener, new ThrottledLog(LOG));
        this.linkSide = new NodeLinkSide(this, session.maxConnections());
        this.connections = new NodeConnections(linkSide, this.name, this.directory, transport,
                session, random, epoch, maxFrameBytes, timer);
        this.memory = new MemoryBudget(delivery.inboundMemoryBytes());
        this.trust = new TrustDecisions(name, directory, session.trust(), listener,
                this.callbacks);
        trust.checkCallersWith(new ListedAddressCheck(linkSide, transport, timer,
                session.handshakeTimeout(), trust::called));
        this.roomOptions = roomOptions;
        ThrottledLog roomWarnings = new ThrottledLog(LoggerFactory.getLogger(Rooms.class));
        this.rooms = new Rooms(new RoomLinks(this), random, (room, from, why) ->
                roomWarnings.warn("{}: dropped a frame in #{} from {}: {}", name, room,
                        from.fingerprint(), why));
        this.links = new LinkTable(directory, session.trust(), trust, rooms, delivery, ticker,
                timer, memory, random, linkOwner, history,
                new ReceiveLedger(store.isDurable() ? store : null, store.received()), observed);
        this.closing = new NodeClosing(this.name, rooms, links, transport, timer, ownedExecutor,
                delivery.closeLinger(), options.closeTimeout(), store);
        this.files = new FileTransfers(this.name, new FileLinks(this), FileOptions.defaults(),
                random);
    }


    /**
     * Sets the limits of file transfer; before {@link #start} only.
     *
     * @param options the limits ({@code p2pchat.maxFileBytes} among them)
     * @return this node
     */
    public ChatNode fileOptions(FileOptions options) {
        files = new FileTransfers(name, new FileLinks(this), options, random);
        return this;
    }

    /**
     * Remembers the files this peer sends in a store, and offers again those remembered there
     * from before a restart. {@link #start} calls it with the node's own store; a test may hand
     * another that outlives the node.
     *
     * @param store the node's store
     */
    public void useFileStore(org.p2pchat.spi.MessageStore store) {
        files.useStore(store);
    }

    /** What the links ask of this node. */
    private final LinkTable.Node linkOwner = new LinkTable.Node() {
        @Override
        public CompletionStage<Void> connect(FriendLink link, PeerAddress address) {
            return connections.connect(link, address);
        }

        @Override
        public PeerClosedException refusal() {
            return closing.isClosed() ? closing.refusal() : null;
        }
    };

    /**
     * Starts listening. On failure the node closes itself and rethrows.
     *
     * @param address where to listen
     * @return this node
     */
    public ChatNode start(PeerAddress address) {
        try {
            connections.listen(address);
            OutboxRestore.run(name, store, links);
            useFileStore(store);
        } catch (java.util.concurrent.CompletionException e) {
            close();
            throw e.getCause() instanceof P2pChatException p ? p
                    : new P2pChatException("cannot listen on " + address, e.getCause());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("{} ({}) is listening on {}", name, publicKey().fingerprint(), listenAddress());
        return this;
    }

    // ---- what the application asks (Peer) ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public PeerAddress listenAddress() {
        return connections.listenAddress();
    }

    @Override
    public PeerKey publicKey() {
        return session.identity().publicKey();
    }

    @Override
    public Optional<PeerKey> peerKey(String friend) {
        Optional<PeerKey> trusted = session.trust().trustedKey(friend);
        if (trusted.isPresent()) {
            return trusted;
        }
        List<Rooms.Found> members = rooms.membersNamed(friend);
        return members.isEmpty() ? Optional.empty() : Optional.of(members.get(0).key());
    }

    @Override
    public PeerDirectory directory() {
        return directory;
    }

    @Override
    public CompletionStage<Void> send(String friend, String text) {
        Objects.requireNonNull(friend, "friend");
        byte[] utf8 = sendable(text);
        if (utf8 == null) {
            return refused(text);
        }
        Object contact;
        try {
            contact = links.contactOf(friend);
        } catch (UnknownPeerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return links.sendTo(contact, friend, MessageFrames.KIND_TEXT, utf8, text, null);
    }

    @Override
    public CompletionStage<Void> send(PeerKey key, String text) {
        Objects.requireNonNull(key, "key");
        byte[] utf8 = sendable(text);
        if (utf8 == null) {
            return refused(text);
        }
        String label = links.labelOf(key);
        if (label == null) {
            return CompletableFuture.failedFuture(new UnknownPeerException(key.fingerprint()));
        }
        return links.sendTo(key, label, MessageFrames.KIND_TEXT, utf8, text, null);
    }

    /** The text's bytes if this peer may send it now, else null ({@link #refused} says why). */
    private byte[] sendable(String text) {
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return closing.isClosed() || utf8.length > maxTextBytes(maxFrameBytes) ? null : utf8;
    }

    private CompletionStage<Void> refused(String text) {
        if (closing.isClosed()) {
            return CompletableFuture.failedFuture(closing.refusal());
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return CompletableFuture.failedFuture(new MessageTooLargeException("message of " + bytes
                + " bytes; at most " + maxTextBytes(maxFrameBytes) + " fit in a frame of"
                + " p2pchat.maxFrameBytes = " + maxFrameBytes + " (on both peers)"));
    }

    /**
     * Returns the longest message text, in UTF-8 bytes, that fits in a frame: the frame less its
     * tag, the largest DATA header and the largest length prefix.
     *
     * @param maxFrameBytes the frame limit
     * @return the limit on a message's bytes
     */
    public static int maxTextBytes(int maxFrameBytes) {
        return maxFrameBytes - org.p2pchat.core.internal.noise.CipherState.TAG_BYTES
                - MessageFrames.MAX_DATA_HEADER - MessageFrames.MAX_LENGTH_PREFIX
                - MessageFrames.KIND_BYTES;
    }

    @Override
    public CompletionStage<Void> connect(String peerName) {
        Objects.requireNonNull(peerName, "peerName");
        if (closing.isClosed()) {
            return CompletableFuture.failedFuture(closing.refusal());
        }
        Object contact;
        try {
            contact = links.contactOf(peerName);
        } catch (UnknownPeerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return links.connect(contact, peerName);
    }

    @Override
    public CompletionStage<Void> flush() {
        // Writes complete in order: an empty one queued now completes after every earlier one.
        return store.write(new StoreWrite()).thenCompose(v -> {
            Throwable failed = history.sendFailure();
            return failed == null ? CompletableFuture.<Void>completedFuture(null)
                    : CompletableFuture.<Void>failedFuture(new org.p2pchat.api.StoreException(
                            "a message sent earlier could not be written to the store: "
                            + failed.getMessage() + "; it is not safe from a crash", failed));
        });
    }

    @Override
    public Optional<Conversation> conversation(String peerName) {
        Objects.requireNonNull(peerName, "peerName");
        return peerKey(peerName).or(() -> {
            FriendLink link = links.linkNamed(peerName);
            return link == null ? Optional.empty() : Optional.ofNullable(link.key());
        }).map(k -> Conversation.direct(k, peerName));
    }

    @Override
    public List<Conversation> conversations(int limit) {
        return store.conversations(limit);
    }

    @Override
    public List<HistoryRecord> history(Conversation conversation, HistoryQuery query) {
        return store.history(Objects.requireNonNull(conversation, "conversation"),
                Objects.requireNonNull(query, "query"));
    }

    @Override
    public List<HistoryRecord> search(String words, int limit) {
        return store.search(Objects.requireNonNull(words, "words"), limit);
    }

    @Override
    public List<KnownPeer> knownPeers() {
        return links.knownPeers();
    }

    @Override
    public PeerStats stats() {
        return observed.report(links.samples());
    }

    @Override
    public Room createRoom(String roomName, RoomAccess access) {
        Objects.requireNonNull(access, "access");
        return rooms.create(roomName, access);
    }

    @Override
    public CompletionStage<Room> joinRoom(String room, PeerAddress member) {
        Objects.requireNonNull(member, "member");
        return rooms.join(room, member);
    }

    @Override
    public CompletionStage<Room> joinRoom(String invite) {
        return rooms.join(invite);
    }

    @Override
    public List<Room> rooms() {
        return rooms.rooms();
    }

    @Override
    public Optional<Room> room(String roomName) {
        return rooms.room(roomName);
    }

    @Override
    public org.p2pchat.api.FileTransfer sendFile(String friend, java.nio.file.Path file) {
        Objects.requireNonNull(friend, "friend");
        return files.send(friend, Objects.requireNonNull(file, "file"));
    }

    @Override
    public org.p2pchat.api.FileTransfer sendFile(PeerKey key, java.nio.file.Path file) {
        Objects.requireNonNull(key, "key");
        return files.send(key, Objects.requireNonNull(file, "file"));
    }

    @Override
    public List<org.p2pchat.api.FileTransfer> fileTransfers() {
        return files.transfers();
    }

    @Override
    public ConnectionState connectionState(String friend) {
        FriendLink link = links.linkNamed(friend);
        return link == null ? ConnectionState.DISCONNECTED : link.state();
    }

    @Override
    public Optional<Throwable> connectionFailure(String friend) {
        FriendLink link = links.linkNamed(friend);
        return link == null ? Optional.empty() : Optional.ofNullable(link.connectionFailure());
    }

    /**
     * Closes the node, lingering first for the messages not yet acknowledged (see
     * {@link Peer#close()}). On a thread the peers need ({@link NodeThreads}) it does not block:
     * the linger and the teardown then run on the node's timer.
     */
    @Override
    public void close() {
        // Transfers end first (each resumes later); the links then linger for their messages.
        files.close();
        closing.close();
    }

    // ---- what the node's parts ask (RoomLinks, FileLinks, NodeLinkSide, NodeProbe) ----

    /** The node's store, for its rooms. */
    MessageStore store() {
        return store;
    }

    /** The node's threads and settings, for its rooms. */
    Identity identity() {
        return session.identity();
    }

    RoomOptions roomOptions() {
        return roomOptions;
    }

    DeliveryOptions deliveryOptions() {
        return delivery;
    }

    ScheduledThreadPoolExecutor timer() {
        return timer;
    }

    SerialExecutor callbacks() {
        return callbacks;
    }

    MessageListener listener() {
        return listener;
    }

    Ticker ticker() {
        return ticker;
    }

    /** The node's links, for its rooms. */
    LinkTable links() {
        return links;
    }

    /** The largest frame a connection accepts once its handshake has authenticated the peer. */
    int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** What the node decides about the keys its handshakes prove. */
    TrustDecisions trust() {
        return trust;
    }

    NodeConnections connections() {
        return connections;
    }

    /** The node's room layer ({@link #rooms()} is the application's list of rooms). */
    Rooms roomLayer() {
        return rooms;
    }

    /** The file transfers of now: {@link #fileOptions} replaces them before the node starts. */
    FileTransfers files() {
        return files;
    }

    DirectArrivals arrivals() {
        return arrivals;
    }

    /** The node's own counters, for the watch on each connection. */
    NodeCounters counters() {
        return observed;
    }

    /** The heap that messages received and not yet finished with take, for the probe. */
    MemoryBudget memory() {
        return memory;
    }

    // ---- for tests and diagnostics ----

    /**
     * Returns what the link layer asks of this node, for a test that runs a connection by hand
     * as the transport's event loop would.
     *
     * @return the node's side of the link layer
     */
    public LinkNode linkSide() {
        return linkSide;
    }

    /**
     * Returns what tests and diagnostics read of this node: its links, rooms, transfers and
     * inbound memory.
     *
     * @return the node's probe
     */
    public NodeProbe probe() {
        return probe;
    }

    @Override
    public String toString() {
        return "Peer[" + name + " on " + listenAddress() + "]";
    }

}
