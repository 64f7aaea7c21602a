package org.p2pchat.core.internal.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.KnownPeer;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.ConnectionClosedException;
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
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.core.internal.delivery.DeliveryOptions;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Inflow;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.delivery.MemoryBudget;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.delivery.Strangers;
import org.p2pchat.core.internal.link.ConnectionSlots;
import org.p2pchat.core.internal.link.HandshakeAdmission;
import org.p2pchat.core.internal.link.HandshakeGate;
import org.p2pchat.core.internal.link.LinkHandler;
import org.p2pchat.core.internal.link.LinkNode;
import org.p2pchat.core.internal.link.ListedAddressCheck;
import org.p2pchat.core.internal.link.SessionOptions;
import org.p2pchat.core.internal.link.TrustDecisions;
import org.p2pchat.core.internal.link.WireCodec;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.core.internal.runtime.SerialCallbacks;
import org.p2pchat.core.internal.runtime.SerialExecutor;
import org.p2pchat.core.internal.runtime.ThrottledLog;
import org.p2pchat.core.internal.room.RoomOptions;
import org.p2pchat.core.internal.room.Rooms;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
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
 * on the next one.
 *
 * <p>Thread-safe. Application threads call {@link #send}; the transport's event loop calls the
 * {@link LinkNode} methods through {@link LinkHandler}.
 */
public final class ChatNode implements Peer, LinkNode {
    private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);
    /**
     * How many friends outside the directory are remembered after their link is forgotten: their
     * message numbers, so that one calling back does not get a message delivered twice, and
     * where to call them back, so that they can be answered.
     */
    private static final int REMEMBERED_STRANGERS = 256;

    private final String name;
    private final PeerDirectory directory;
    private final MessageListener listener;
    private final SerialExecutor callbacks;
    private final ExecutorService ownedExecutor;
    private final Transport transport;
    private final int maxFrameBytes;
    /**
     * The links, by the key of their peer; a friend of the directory not met yet (no pinned or
     * remembered key) is under its name, and a join through an address under the address, until
     * the first handshake proves the key.
     */
    private final ConcurrentHashMap<Object, FriendLink> links = new ConcurrentHashMap<>();
    private final Rooms rooms;
    private final RoomOptions roomOptions;
    private final SessionOptions session;
    private final DeliveryOptions delivery;
    private final SecureRandom random = new SecureRandom();
    private final long epoch = random.nextLong();
    private final Ticker ticker;
    private final ScheduledThreadPoolExecutor timer;
    private final HandshakeGate gate;
    private final ThrottledLog connectionWarnings =
            new ThrottledLog(LoggerFactory.getLogger(LinkHandler.class));
    private final Strangers strangers = new Strangers(REMEMBERED_STRANGERS);
    private final TrustDecisions trust;
    private final MemoryBudget memory;
    private final ConnectionSlots slots;
    private volatile PeerAddress listenAddress;
    private volatile byte[] helloPayload;
    /** Set by the first {@link #close}: from then on sends fail at once. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set when closing stops lingering and tears everything down. */
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Completed once everything is torn down. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Duration closeTimeout;

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
     */
    public ChatNode(String name, PeerDirectory directory, MessageListener listener,
            Executor callbacks, ExecutorService ownedExecutor, Transport transport,
            TransportOptions options, SessionOptions session, DeliveryOptions delivery,
            RoomOptions roomOptions) {
        this.name = PeerEntry.validateName(name);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ownedExecutor = ownedExecutor;
        this.transport = transport;
        this.maxFrameBytes = options.maxFrameBytes();
        this.session = session;
        this.delivery = delivery;
        this.ticker = options.ticker();
        this.closeTimeout = options.closeTimeout();
        this.timer = new ScheduledThreadPoolExecutor(1, SerialCallbacks.daemonThreads(name + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.callbacks = new SerialExecutor(callbacks, timer);
        HandshakeAdmission admission = new HandshakeAdmission(
                HandshakeAdmission.Limits.defaults(session.maxHandshakes()), Ticker.system(), random,
                this::friendHosts);
        this.gate = new HandshakeGate(name, session.handshakeTimeout(), admission, timer, LOG);
        this.memory = new MemoryBudget(delivery.inboundMemoryBytes());
        this.slots = new ConnectionSlots(session.maxConnections());
        this.trust = new TrustDecisions(name, directory, session.trust(), listener,
                this.callbacks);
        trust.checkCallersWith(new ListedAddressCheck(this, transport, timer,
                session.handshakeTimeout(), trust::called));
        this.roomOptions = roomOptions;
        ThrottledLog roomWarnings = new ThrottledLog(LoggerFactory.getLogger(Rooms.class));
        this.rooms = new Rooms(new RoomLinks(this), random, (room, from, why) ->
                roomWarnings.warn("{}: dropped a frame in #{} from {}: {}", name, room,
                        from.fingerprint(), why));
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
            helloPayload = toArray(WireCodec.hello(name, listenAddress, epoch, maxFrameBytes,
                    session.identity().signer().publicKey()));
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
            contact = contactOf(friend);
        } catch (UnknownPeerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendTo(contact, friend, MessageFrames.KIND_TEXT, utf8, null);
    }

    @Override
    public CompletionStage<Void> send(PeerKey key, String text) {
        Objects.requireNonNull(key, "key");
        byte[] utf8 = sendable(text);
        if (utf8 == null) {
            return refused(text);
        }
        String label = labelOf(key);
        if (label == null) {
            return CompletableFuture.failedFuture(new UnknownPeerException(key.fingerprint()));
        }
        return sendTo(key, label, MessageFrames.KIND_TEXT, utf8, null);
    }

    /** The text's bytes if this peer may send it now, else null ({@link #refused} says why). */
    private byte[] sendable(String text) {
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return closed.get() || utf8.length > maxTextBytes(maxFrameBytes) ? null : utf8;
    }

    private CompletionStage<Void> refused(String text) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(refusal());
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return CompletableFuture.failedFuture(new MessageTooLargeException("message of " + bytes
                + " bytes; at most " + maxTextBytes(maxFrameBytes) + " fit in a frame of"
                + " p2pchat.maxFrameBytes = " + maxFrameBytes + " (on both peers)"));
    }

    @Override
    public CompletionStage<Void> connect(String peerName) {
        Objects.requireNonNull(peerName, "peerName");
        if (closed.get()) {
            return CompletableFuture.failedFuture(refusal());
        }
        Object contact;
        try {
            contact = contactOf(peerName);
        } catch (UnknownPeerException e) {
            return CompletableFuture.failedFuture(e);
        }
        FriendLink link = links.computeIfAbsent(contact, c -> newLink(c, peerName, null));
        if (link.state() == ConnectionState.CONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        PeerAddress address = linkConnector.listedAddress(link);
        if (address == null) {
            address = link.callBack();
        }
        if (address == null) {
            return CompletableFuture.failedFuture(new UnknownPeerException(peerName));
        }
        return connect(link, address);
    }

    /**
     * Connects to whoever listens at an address, for a join through it.
     *
     * @param address the address
     * @return completes with the key the peer there proved
     */
    CompletionStage<PeerKey> reach(PeerAddress address) {
        FriendLink link = links.computeIfAbsent(address, a -> newLink(a, address.toString(), null));
        if (link.key() != null) {
            return CompletableFuture.completedFuture(link.key());
        }
        return connect(link, address).handle((v, e) -> {
            if (e != null) {
                // Nothing answered there with a key: the link under the address goes.
                forgetIfDisposable(link);
                throw e instanceof java.util.concurrent.CompletionException c ? c
                        : new java.util.concurrent.CompletionException(e);
            }
            return link.key();
        });
    }

    @Override
    public List<KnownPeer> knownPeers() {
        return new PeerList(directory, session.trust(), rooms, strangers, links, ticker).list();
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

    /**
     * Returns the size of a room's de-duplication state (origins remembered plus messages held
     * ahead of gaps); for tests and diagnostics.
     *
     * @param room the room's name
     * @return the size, or -1 if this peer is not in the room
     */
    public int roomStateSize(String room) {
        return rooms.sequencerStateSize(room);
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

    boolean connectedTo(PeerKey key) {
        FriendLink link = links.get(key);
        return link != null && link.connected();
    }

    /**
     * Queues a message on the link of a contact (a key; a listed name not met yet; an address),
     * making the link if there is none.
     *
     * @param contact the link's key in {@link #links}
     * @param label the name the peer goes by, for a new link
     * @param kind the message's kind
     * @param body its bytes
     * @param address where to call the peer if nothing else says so (a room member reached for
     *     the first time), or null
     * @return completes when the peer acknowledged the message
     */
    CompletionStage<Void> sendTo(Object contact, String label, byte kind, byte[] body,
            PeerAddress address) {
        while (true) {
            FriendLink link = links.computeIfAbsent(contact, c -> newLink(c, label, address));
            if (address != null) {
                link.callBackAt(address);
            }
            if (closed.get() && kind == MessageFrames.KIND_TEXT) {
                // close() may have gone over the links before this one existed.
                return CompletableFuture.failedFuture(refusal());
            }
            CompletionStage<Void> sent = link.send(kind, body);
            if (sent != null) {
                return sent;
            }
            // The link was forgotten a moment ago (idle, not listed), or handed over: retry.
            links.remove(contact, link);
        }
    }

    /**
     * Finds the link key of a name: a friend of the directory (by its trusted key if known),
     * else a member of a room (by key; the first room's if several), else a stranger that can
     * be called back.
     *
     * @throws UnknownPeerException if none goes by the name
     */
    private Object contactOf(String peerName) {
        if (directory.lookup(peerName).isPresent()) {
            if (links.containsKey(peerName)) {
                // The friend's link, under its name from before its key was known (and under
                // its key too, once proven).
                return peerName;
            }
            Optional<PeerKey> key = session.trust().trustedKey(peerName);
            return key.isPresent() ? key.get() : peerName;
        }
        List<Rooms.Found> members = rooms.membersNamed(peerName);
        if (!members.isEmpty()) {
            return members.get(0).key();
        }
        Object stranger = strangers.callable(peerName);
        if (stranger != null) {
            return stranger;
        }
        for (FriendLink l : links.values()) {
            if (l.friend().equals(peerName) && l.key() != null) {
                return l.key();
            }
        }
        throw new UnknownPeerException(peerName);
    }

    /** The link of a name, or null. */
    private FriendLink linkNamed(String peerName) {
        try {
            return links.get(contactOf(peerName));
        } catch (UnknownPeerException e) {
            return null;
        }
    }

    /**
     * The name a key goes by: the directory's if the name is trusted with that key, else its name
     * in a room, else the name of its link; null if this peer knows nothing of it.
     */
    private String labelOf(PeerKey key) {
        for (PeerEntry e : directory.entries()) {
            if (session.trust().trustedKey(e.name()).filter(key::equals).isPresent()) {
                return e.name();
            }
        }
        Rooms.Found member = rooms.member(key);
        if (member != null) {
            return member.name();
        }
        FriendLink link = links.get(key);
        if (link != null) {
            return link.friend();
        }
        Strangers.Remembered r = strangers.snapshot().get(key);
        return r != null && r.callBack() != null ? r.name() : null;
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

    private FriendLink newLink(Object contact, String label, PeerAddress address) {
        Strangers.Remembered known = strangers.take(contact);
        // Room members share the strangers' part of the memory budget: anyone who reaches a
        // member of an open room can become one.
        boolean stranger = !(contact instanceof String) && !(contact instanceof PeerKey k
                && label != null && isListed(label)
                && session.trust().trustedKey(label).filter(k::equals).isPresent());
        Inflow inflow = known != null ? known.inflow()
                : new Inflow(label, delivery.receiveWindowBytes(), memory, stranger);
        FriendLink link = new FriendLink(label, delivery, ticker, timer, linkConnector, inflow,
                known != null ? known.callBack() : contact instanceof PeerAddress a ? a : address,
                random);
        if (contact instanceof PeerKey k) {
            link.proven(k);
        }
        return link;
    }

    /** The key a link is kept under in {@link #links}. */
    private Object contactKey(FriendLink link) {
        if (link.key() != null) {
            return link.key();
        }
        return directory.lookup(link.friend()).isPresent() ? link.friend() : link.callBack();
    }

    /** What every link asks of this node. */
    private final FriendLink.Connector linkConnector = new FriendLink.Connector() {
        @Override
        public CompletionStage<Void> connect(FriendLink link, PeerAddress address) {
            return ChatNode.this.connect(link, address);
        }

        @Override
        public PeerAddress listedAddress(FriendLink link) {
            PeerKey key = link.key();
            Optional<PeerEntry> listed = directory.lookup(link.friend());
            if (listed.isPresent()) {
                Optional<PeerKey> trusted = session.trust().trustedKey(link.friend());
                if (key == null || trusted.isEmpty() || trusted.get().equals(key)) {
                    return listed.get().address();
                }
            }
            Rooms.Found member = key == null ? null : rooms.member(key);
            return member == null ? null : member.address();
        }

        @Override
        public void idle(FriendLink link) {
            forgetIfDisposable(link);
        }
    };

    private CompletionStage<Void> connect(FriendLink link, PeerAddress address) {
        CompletableFuture<LinkSession> established = new CompletableFuture<>();
        LinkHandler handler = LinkHandler.opener(this, link, established);
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
    private java.util.Set<String> friendHosts() {
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (PeerEntry e : directory.entries()) {
            hosts.add(e.address().host());
        }
        return hosts;
    }

    /** Called on the event loop for each accepted connection. */
    private ConnectionHandler accept(Connection connection) {
        LinkHandler handler = LinkHandler.acceptor(this, connection);
        gate.admit(handler, connection);
        return handler;
    }

    /** Called on the event loop when a handler leaves its handshake, either way. */
    @Override
    public void handshakeEnded(LinkHandler handler) {
        gate.ended(handler);
    }

    @Override
    public SecureChannel newChannel(Connection connection, boolean initiator) {
        return new SecureChannel(connection, initiator, session.identity(), random,
                session.rekeyInterval());
    }

    @Override
    public byte[] helloPayload() {
        byte[] hello = helloPayload;
        if (hello == null) {
            throw new org.p2pchat.api.ProtocolException(name + " is still starting");
        }
        return hello;
    }

    /** The largest frame a connection accepts once its handshake has authenticated the peer. */
    @Override
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    public Duration handshakeTimeout() {
        return gate.timeout();
    }

    /** What the node decides about the keys its handshakes prove. */
    @Override
    public TrustDecisions trust() {
        return trust;
    }

    /**
     * The warnings about single connections that anyone who reaches the port can cause (a
     * refused key, a protocol error): one line a second at most, with a count of the others.
     */
    @Override
    public ThrottledLog connectionWarnings() {
        return connectionWarnings;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Override
    public Optional<Throwable> connectionFailure(String friend) {
        FriendLink link = linkNamed(friend);
        return link == null ? Optional.empty() : Optional.ofNullable(link.connectionFailure());
    }

    @Override
    public ConnectionState connectionState(String friend) {
        FriendLink link = linkNamed(friend);
        return link == null ? ConnectionState.DISCONNECTED : link.state();
    }

    /**
     * Tells whether this peer keeps a link (outbox, what it received) for a friend; for tests and
     * diagnostics. A friend outside the directory is forgotten once it has no connection and
     * nothing to send.
     *
     * @param friend the friend's name
     * @return true while a link exists
     */
    public boolean hasLink(String friend) {
        return linkNamed(friend) != null;
    }

    /**
     * Counts this peer's open connections to a friend; for tests and diagnostics.
     *
     * @param friend the friend's name
     * @return the number of open connections
     */
    public int openConnections(String friend) {
        FriendLink link = linkNamed(friend);
        return link == null ? 0 : link.openConnections();
    }

    /**
     * Called on the event loop when an accepted connection has proven its key and may speak for
     * the name it gave. A friend of the directory this peer was about to call for the first time
     * (its link is under its name) gets that link, now under its key.
     */
    @Override
    public FriendLink introduced(String peerName, PeerKey key, LinkSession connection,
            PeerAddress callBack) {
        if (directory.lookup(peerName).isPresent()
                && session.trust().trustedKey(peerName).filter(key::equals).isPresent()) {
            FriendLink waiting = links.get(peerName);
            if (waiting != null && waiting.key() == null) {
                adopt(waiting, peerName, key);
            }
        }
        String label = labelOf(key);
        String shown = label != null ? label : peerName;
        while (true) {
            FriendLink link = links.computeIfAbsent(key, k -> newLink(k, shown, null));
            if (link.attach(connection)) {
                link.callBackAt(callBack);
                return link;
            }
            // Forgotten by the timer a moment ago: attach to a new one.
            links.remove(key, link);
        }
    }

    @Override
    public FriendLink opened(FriendLink link, String peerName, PeerKey key, PeerAddress address) {
        PeerKey expected = link.key();
        boolean listedFriend = directory.lookup(link.friend()).isPresent()
                && (expected == null || session.trust().trustedKey(link.friend())
                        .filter(expected::equals).isPresent());
        if (listedFriend) {
            // A friend of the directory: the name that answers and its key must hold, pinned,
            // remembered or trusted now on first use.
            if (!peerName.equals(link.friend())) {
                throw new org.p2pchat.api.PeerIdentityException("called " + link.friend() + " at "
                        + address + " but '" + peerName + "' answered");
            }
            if (expected != null) {
                trust.called(peerName, key);
                return link;
            }
            // Under the key before the key is trusted: a sender that finds the key trusted finds
            // this link under it too, not a second one.
            FriendLink holder = links.putIfAbsent(key, link);
            try {
                trust.called(peerName, key);
            } catch (RuntimeException e) {
                if (holder == null) {
                    links.remove(key, link);
                }
                throw e;
            }
            return adopt(link, link.friend(), key);
        }
        if (expected != null) {
            if (!expected.equals(key)) {
                throw new org.p2pchat.api.PeerIdentityException("called " + link.friend() + " at "
                        + address + " but the peer there proved key " + key.fingerprint()
                        + ", not " + expected.fingerprint());
            }
            return link;
        }
        Object contact = contactKey(link);
        if (contact instanceof PeerAddress reached) {
            // A join through an address: if the table lists the name that answered at that very
            // address, this is that friend, met as if called by name (trusted on first use, or
            // refused if its key is not the one trusted for the name).
            Optional<PeerEntry> listed = directory.lookup(peerName);
            if (listed.isPresent() && listed.get().address().equals(reached)) {
                trust.called(peerName, key);
                FriendLink adopted = adopt(link, contact, key);
                FriendLink named = links.get(peerName);
                if (named != null && named != adopted && named.key() == null) {
                    // Messages to the friend by name wait on a link of their own: one numbering.
                    adopt(named, peerName, key);
                }
                return adopted;
            }
        }
        return adopt(link, contact, key);
    }

    /**
     * Moves a link whose key its first handshake proved under that key; if another link holds
     * the key already, this one hands its messages to it and goes.
     *
     * @return the link now under the key
     */
    private FriendLink adopt(FriendLink link, Object contact, PeerKey key) {
        link.proven(key);
        // The link stays under its name (or address) too: a sender that looked the name up a
        // moment ago finds the same link, so no message goes to a second one.
        FriendLink holder = links.putIfAbsent(key, link);
        if (holder == null || holder == link) {
            return link;
        }
        links.replace(contact, link, holder);
        for (FriendLink.Waiting w : link.handOver()) {
            CompletionStage<Void> sent = holder.send(w.kind(), w.body());
            if (sent == null) {
                w.done().completeExceptionally(new org.p2pchat.api.PeerUnreachableException(
                        "the link to " + holder.friend() + " closed while a message moved to it"));
            } else {
                sent.whenComplete((v, e) -> {
                    if (e == null) {
                        w.done().complete(null);
                    } else {
                        w.done().completeExceptionally(e);
                    }
                });
            }
        }
        return holder;
    }

    @Override
    public boolean isRoomMember(PeerKey key) {
        return rooms.isMember(key);
    }

    /** Called on the event loop when a connection to a friend closes. */
    /** The places for authenticated connections. */
    @Override
    public ConnectionSlots slots() {
        return slots;
    }

    /** Whether the directory lists a name: a friend, as opposed to a stranger. */
    @Override
    public boolean isListed(String peerName) {
        return directory.lookup(peerName).isPresent();
    }

    @Override
    public void detached(FriendLink link, LinkSession connection,
            ConnectionClosedException reason) {
        slots.release(connection);
        link.detach(connection, reason);
        forgetIfDisposable(link);
    }

    /**
     * Forgets a link to a friend outside the directory once nothing refers to it, keeping what
     * it received (so that messages sent again are recognised if the friend calls back) and
     * where to call it back (so that it can be answered).
     */
    private void forgetIfDisposable(FriendLink link) {
        // One atomic step with the map: a thread that makes the friend's next link (in
        // computeIfAbsent, under the same key) finds what this one received already kept.
        Object contact = contactKey(link);
        if (contact == null) {
            return;
        }
        links.computeIfPresent(contact, (c, current) -> {
            if (current != link || !link.dispose()) {
                return current;
            }
            if (!(c instanceof PeerAddress)) {
                // (A link under an address never met anyone: nothing to remember.)
                strangers.keep(c, link.friend(), link.inflow(), link.callBack());
            }
            return null;
        });
        if (link.isDisposed()) {
            // and under any other name it was kept by (the address a join reached it at)
            links.values().removeIf(l -> l == link);
        }
    }

    /**
     * Called on the event loop for each new message: the listener gets it on its executor, and
     * its bytes count against the friend's window until the listener returns.
     */
    @Override
    public void deliver(FriendLink link, String text, long units) {
        ChatMessage message = new ChatMessage(link.friend(), text, Instant.now());
        Inflow inflow = link.inflow();
        callbacks.execute(link.key(), () -> {
            try {
                listener.onMessage(message);
            } finally {
                inflow.consumed(units);
            }
        });
    }

    @Override
    public void deliver(FriendLink link, byte kind, byte[] body, long units) {
        Inflow inflow = link.inflow();
        rooms.received(link.key(), kind, body, () -> inflow.consumed(units));
    }

    /** The node's clock, for deadlines. */
    @Override
    public long now() {
        return ticker.nanoTime();
    }

    /**
     * Returns the heap that messages received and not yet finished with by the listener take, as
     * {@code p2pchat.inboundMemoryBytes} counts it, from every sender together; for tests and
     * diagnostics.
     *
     * @return the bytes
     */
    public long inboundMemoryUsed() {
        return memory.used();
    }

    /**
     * Returns the bytes of messages from a friend handed to the listener and not yet returned
     * from; for tests and diagnostics.
     *
     * @param friend the friend's name
     * @return the bytes, counted as {@code p2pchat.receiveWindowBytes} counts them
     */
    public long backlogBytes(String friend) {
        FriendLink link = linkNamed(friend);
        return link == null ? 0 : link.inflow().backlog();
    }

    /**
     * Returns the bytes of messages to a friend that it has not acknowledged; for tests and
     * diagnostics.
     *
     * @param friend the friend's name
     * @return the bytes, counted as {@code p2pchat.outboxLimitBytes} counts them
     */
    public long outboxBytes(String friend) {
        FriendLink link = linkNamed(friend);
        return link == null ? 0 : link.outboxBytes();
    }

    private PeerClosedException refusal() {
        return new PeerClosedException(finished.get() ? name + " is closed"
                : name + " is closing: close() was called, so it takes no new message");
    }

    /**
     * Closes the node, lingering first for the messages not yet acknowledged (see
     * {@link Peer#close()}). On a thread the peers need ({@link NodeThreads}) it does not block:
     * the linger and the teardown then run on the node's timer.
     */
    @Override
    public void close() {
        boolean ownThread = NodeThreads.current();
        if (!closed.compareAndSet(false, true)) {
            if (!ownThread) {
                awaitTermination();
            }
            return;
        }
        // Members are told of the leave before the links stop taking messages: they report a
        // leave, not a failure, and the announcements go out during the linger.
        rooms.close();
        PeerClosedException refusal = refusal();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        links.values().forEach(l -> l.stopAccepting(refusal, pending));
        CompletableFuture<Void> drained =
                CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        Duration linger = delivery.closeLinger();
        if (ownThread) {
            // This may be the thread the acknowledgements arrive on: linger without it.
            drained.whenComplete((v, e) -> finishOnTimer());
            try {
                timer.schedule(this::finish, linger.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // finish() ran already: it shut the timer down.
            }
            return;
        }
        try {
            drained.get(linger.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Some failed (they are settled all the same), or the linger is over.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish();
    }

    private void finishOnTimer() {
        try {
            timer.execute(this::finish);
        } catch (RejectedExecutionException e) {
            // finish() ran already: it shut the timer down.
        }
    }

    /** Fails what the linger left, closes the transport and stops the node's threads; once. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        // Stage callbacks run here: one that calls close() again must not wait for this.
        NodeThreads.runMarked(() -> {
            // An interrupted closer still gives the transport its close timeout.
            boolean interrupted = Thread.interrupted();
            try {
                for (FriendLink l : links.values()) {
                    l.close(new PeerClosedException(name + " closed before " + l.friend()
                            + " acknowledged this message, within the close linger of "
                            + delivery.closeLinger() + " (p2pchat.closeLinger)"));
                }
                transport.close();
                timer.shutdownNow();
                if (ownedExecutor != null) {
                    ownedExecutor.shutdown();
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                terminated.complete(null);
            }
        });
        LOG.info("{} closed", name);
    }

    /** A second close() waits for the first, which ends within the linger and close timeout. */
    private void awaitTermination() {
        Duration bound = delivery.closeLinger().plus(closeTimeout).plusSeconds(1);
        try {
            terminated.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: an earlier close() did not finish within {}", name, bound);
        }
    }

    @Override
    public String toString() {
        return "Peer[" + name + " on " + listenAddress + "]";
    }
}
