package org.p2pchat.core;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.TransportNotFoundException;
import org.p2pchat.core.internal.delivery.DeliveryOptions;
import org.p2pchat.core.internal.link.SessionOptions;
import org.p2pchat.core.internal.link.WireCodec;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.core.internal.room.CatchUpLimits;
import org.p2pchat.core.internal.node.Settings;
import org.p2pchat.core.internal.node.TransportSelector;
import org.p2pchat.core.internal.runtime.AfterFrame;
import org.p2pchat.core.internal.runtime.SerialCallbacks;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.KnownPeers;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.core.internal.session.TrustStore;
import org.p2pchat.core.internal.node.StoreSelector;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.Ticker;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * Describes a peer and starts it. Obtain one from {@link P2pChat#builder(String)}.
 *
 * <p>Every setting has a default, may be set by a {@code p2pchat.*} system property (read when the
 * builder is created), and may be set here, which wins:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>method</th><th>property</th><th>default</th></tr>
 * <tr><td>{@link #transport(String)}</td><td>{@code p2pchat.transport}</td><td>highest-priority
 *     provider found ({@code nio} when on the path)</td></tr>
 * <tr><td>{@link #maxFrameBytes}</td><td>{@code p2pchat.maxFrameBytes}</td><td>1048576</td></tr>
 * <tr><td>{@link #writeQueueLimitBytes}</td><td>{@code p2pchat.writeQueueLimitBytes}</td>
 *     <td>8388608</td></tr>
 * <tr><td>{@link #idleTimeout}</td><td>{@code p2pchat.idleTimeout}</td><td>5m ({@code 0}: never)</td></tr>
 * <tr><td>{@link #maxConnections}</td><td>{@code p2pchat.maxConnections}</td><td>64</td></tr>
 * <tr><td>{@link #connectTimeout}</td><td>{@code p2pchat.connectTimeout}</td><td>10s</td></tr>
 * <tr><td>{@link #closeLinger}</td><td>{@code p2pchat.closeLinger}</td><td>5s ({@code 0}: fail
 *     at once)</td></tr>
 * <tr><td>{@link #closeTimeout}</td><td>{@code p2pchat.closeTimeout}</td><td>2s</td></tr>
 * <tr><td>{@link #roomDigestInterval}</td><td>{@code p2pchat.roomDigestInterval}</td><td>2s</td></tr>
 * <tr><td>{@link #roomFailureTimeout}</td><td>{@code p2pchat.roomFailureTimeout}</td><td>10s</td></tr>
 * <tr><td>{@link #roomCatchUpCount}</td><td>{@code p2pchat.roomCatchUpCount}</td><td>1000
 *     messages per room</td></tr>
 * <tr><td>{@link #roomCatchUpAge}</td><td>{@code p2pchat.roomCatchUpAge}</td><td>1h</td></tr>
 * <tr><td>{@link #roomCatchUpBytes}</td><td>{@code p2pchat.roomCatchUpBytes}</td><td>4194304
 *     per room</td></tr>
 * <tr><td>{@link #handshakeTimeout}</td><td>{@code p2pchat.handshakeTimeout}</td><td>5s</td></tr>
 * <tr><td>{@link #maxHandshakes}</td><td>{@code p2pchat.maxHandshakes}</td><td>32</td></tr>
 * <tr><td>{@link #handshakeRate}</td><td>{@code p2pchat.handshakeRate}</td><td>200 a second
 *     </td></tr>
 * <tr><td>{@link #stateDirectory}</td><td>{@code p2pchat.stateDirectory}</td><td>none
 *     (ephemeral identity)</td></tr>
 * <tr><td>{@link #store(String)}</td><td>{@code p2pchat.store}</td><td>with a state directory,
 *     the highest-priority store found ({@code sqlite} when on the path); without, {@code
 *     memory}</td></tr>
 * <tr><td>{@link #deliveryTimeout}</td><td>{@code p2pchat.deliveryTimeout}</td><td>30s</td></tr>
 * <tr><td>{@link #outboxLimitBytes}</td><td>{@code p2pchat.outboxLimitBytes}</td>
 *     <td>4194304</td></tr>
 * <tr><td>{@link #receiveWindowBytes}</td><td>{@code p2pchat.receiveWindowBytes}</td>
 *     <td>4194304</td></tr>
 * <tr><td>{@link #inboundMemoryBytes}</td><td>{@code p2pchat.inboundMemoryBytes}</td>
 *     <td>an eighth of the maximum heap</td></tr>
 * <tr><td>{@link #heartbeatInterval}</td><td>{@code p2pchat.heartbeatInterval}</td><td>5s</td></tr>
 * <tr><td>{@link #writeDeadline}</td><td>{@code p2pchat.writeDeadline}</td><td>30s</td></tr>
 * <tr><td>{@link #reconnectDelay}</td><td>{@code p2pchat.reconnectDelay}</td><td>100ms</td></tr>
 * <tr><td>{@link #maxReconnectDelay}</td><td>{@code p2pchat.maxReconnectDelay}</td><td>1s</td></tr>
 * <tr><td>{@link #maxHandshakeRetryDelay}</td><td>{@code p2pchat.maxHandshakeRetryDelay}</td>
 *     <td>10s</td></tr>
 * <tr><td>{@link #maxFileBytes}</td><td>{@code p2pchat.maxFileBytes}</td>
 *     <td>4294967296 (4 GiB)</td></tr>
 * </table>
 *
 * <p>Not thread-safe: build on one thread. The peer it starts is thread-safe.
 */
public final class PeerBuilder {
    private final String name;
    private final TransportOptions.Builder options;
    /** Transport connections beyond the authenticated and handshaking ones: key probes. */
    private static final int KEY_PROBE_HEADROOM = 8;
    private String transportName;
    private TransportProvider provider;
    private PeerAddress listenAddress;
    private PeerDirectory directory = PeerDirectory.of(List.of());
    private MessageListener listener = message -> { };
    private Executor callbackExecutor;
    private boolean callbacksOnNetworkThread;
    private Path stateDirectory;
    private String storeName;
    private MessageStore store;
    private Duration handshakeTimeout;
    private int maxHandshakes;
    private int handshakeRate;
    private long rekeyInterval = SecureChannel.DEFAULT_REKEY_INTERVAL;
    private Duration deliveryTimeout;
    private long outboxLimitBytes;
    private long inboundMemoryBytes;
    private long receiveWindowBytes;
    private Duration heartbeatInterval;
    private Duration writeDeadline;
    private Duration reconnectDelay;
    private Duration maxReconnectDelay;
    private Duration maxHandshakeRetryDelay;
    private Duration closeLinger;
    private Duration roomDigestInterval;
    private Duration roomFailureTimeout;
    private long maxFileBytes;
    private int roomCatchUpCount;
    private Duration roomCatchUpAge;
    private long roomCatchUpBytes;

    PeerBuilder(String name, Properties properties) {
        this.name = PeerEntry.validateName(name);
        this.options = Settings.transportOptions(properties).name(name);
        this.transportName = properties.getProperty(Settings.TRANSPORT);
        String state = properties.getProperty(Settings.STATE_DIRECTORY);
        this.stateDirectory = state == null ? null : Path.of(state);
        this.storeName = properties.getProperty(Settings.STORE);
        this.handshakeTimeout = Settings.duration(properties, Settings.HANDSHAKE_TIMEOUT,
                Settings.DEFAULT_HANDSHAKE_TIMEOUT);
        this.maxHandshakes = Settings.integer(properties, Settings.MAX_HANDSHAKES,
                Settings.DEFAULT_MAX_HANDSHAKES);
        handshakeRate(Settings.integer(properties, Settings.HANDSHAKE_RATE,
                Settings.DEFAULT_HANDSHAKE_RATE));
        deliveryTimeout(Settings.duration(properties, Settings.DELIVERY_TIMEOUT,
                Settings.DEFAULT_DELIVERY_TIMEOUT));
        outboxLimitBytes(Settings.longValue(properties, Settings.OUTBOX_LIMIT_BYTES,
                Settings.DEFAULT_OUTBOX_LIMIT_BYTES));
        inboundMemoryBytes(Settings.longValue(properties, Settings.INBOUND_MEMORY_BYTES,
                Settings.defaultInboundMemoryBytes()));
        receiveWindowBytes(Settings.longValue(properties, Settings.RECEIVE_WINDOW_BYTES,
                Settings.DEFAULT_RECEIVE_WINDOW_BYTES));
        heartbeatInterval(Settings.duration(properties, Settings.HEARTBEAT_INTERVAL,
                Settings.DEFAULT_HEARTBEAT_INTERVAL));
        writeDeadline(Settings.duration(properties, Settings.WRITE_DEADLINE,
                Settings.DEFAULT_WRITE_DEADLINE));
        reconnectDelay(Settings.duration(properties, Settings.RECONNECT_DELAY,
                Settings.DEFAULT_RECONNECT_DELAY));
        maxReconnectDelay(Settings.duration(properties, Settings.MAX_RECONNECT_DELAY,
                Settings.DEFAULT_MAX_RECONNECT_DELAY));
        maxHandshakeRetryDelay(Settings.duration(properties, Settings.MAX_HANDSHAKE_RETRY_DELAY,
                Settings.DEFAULT_MAX_HANDSHAKE_RETRY_DELAY));
        closeLinger(Settings.duration(properties, Settings.CLOSE_LINGER,
                Settings.DEFAULT_CLOSE_LINGER));
        roomDigestInterval(Settings.duration(properties, Settings.ROOM_DIGEST_INTERVAL,
                Settings.DEFAULT_ROOM_DIGEST_INTERVAL));
        roomFailureTimeout(Settings.duration(properties, Settings.ROOM_FAILURE_TIMEOUT,
                Settings.DEFAULT_ROOM_FAILURE_TIMEOUT));
        CatchUpLimits catchUp = CatchUpLimits.DEFAULT;
        roomCatchUpCount(Settings.integer(properties, Settings.ROOM_CATCH_UP_COUNT,
                catchUp.count()));
        roomCatchUpAge(Settings.duration(properties, Settings.ROOM_CATCH_UP_AGE, catchUp.age()));
        roomCatchUpBytes(Settings.longValue(properties, Settings.ROOM_CATCH_UP_BYTES,
                catchUp.bytes()));
        maxFileBytes(Settings.longValue(properties, Settings.MAX_FILE_BYTES,
                org.p2pchat.core.internal.files.FileOptions.DEFAULT_MAX_FILE_BYTES));
    }

    /**
     * Sets the largest file this peer accepts an offer of: a larger one is refused with
     * {@link org.p2pchat.api.FileTransferException.Reason#TOO_LARGE} before the listener sees it,
     * and the sender's transfer fails with {@link org.p2pchat.api.FileRefusedException}.
     *
     * @param bytes 0 (no file) or more, below 2^62
     * @return this builder
     */
    public PeerBuilder maxFileBytes(long bytes) {
        if (bytes < 0 || bytes >= 1L << 62) {
            throw new IllegalArgumentException("expected 0 <= maxFileBytes < 2^62, got " + bytes);
        }
        this.maxFileBytes = bytes;
        return this;
    }

    private static Duration positive(String setting, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("expected " + setting + " > 0, got " + value);
        }
        return value;
    }

    /**
     * Sets how long a message may wait for the friend's acknowledgement, through offline periods
     * and reconnections, before its send fails with
     * {@link org.p2pchat.api.DeliveryTimeoutException}.
     *
     * @param timeout positive
     * @return this builder
     */
    public PeerBuilder deliveryTimeout(Duration timeout) {
        this.deliveryTimeout = positive("deliveryTimeout", timeout);
        return this;
    }

    /**
     * Sets the most heap that all received messages the listener has not finished with may take,
     * counted by their real cost (their text as Java strings plus about 144 bytes each), for every
     * sender together; strangers (peers not in the directory) share a quarter of it. Windows are
     * granted within what is left, and a sender that goes beyond it has its connection cut (an
     * honest one sends the messages again later). Default: an eighth of the maximum heap.
     *
     * @param bytes at least 64 KiB
     * @return this builder
     */
    public PeerBuilder inboundMemoryBytes(long bytes) {
        if (bytes < 64 * 1024) {
            throw new IllegalArgumentException("expected inboundMemoryBytes >= 65536, got " + bytes);
        }
        this.inboundMemoryBytes = bytes;
        return this;
    }

    /**
     * Sets the most bytes of unacknowledged messages held for one friend (each message counts its
     * UTF-8 bytes plus 32); a send beyond it fails at once with
     * {@link org.p2pchat.api.OutboxFullException}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public PeerBuilder outboxLimitBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("expected outboxLimitBytes >= 1, got " + bytes);
        }
        this.outboxLimitBytes = bytes;
        return this;
    }

    /**
     * Sets the most bytes of messages from one friend that the listener may have been handed and
     * not returned from (each counts its UTF-8 bytes plus 32). The friend is told how much room is
     * left with every acknowledgement and holds further messages back, so a slow listener slows
     * the friend down instead of filling this peer's memory. At least twice the largest frame.
     *
     * @param bytes at least {@code 2 * maxFrameBytes}
     * @return this builder
     */
    public PeerBuilder receiveWindowBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("expected receiveWindowBytes >= 1, got " + bytes);
        }
        this.receiveWindowBytes = bytes;
        return this;
    }

    /**
     * Sets how long a connection may stay silent while messages await the friend's
     * acknowledgement before this peer sends a PING; after three intervals without a frame the
     * connection is closed and the messages go out again on a new one. Nothing is sent while no
     * message waits, so idle connections still close.
     *
     * @param interval positive
     * @return this builder
     */
    public PeerBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = positive("heartbeatInterval", interval);
        return this;
    }

    /**
     * Sets how long a message written to a connection may go unacknowledged before the friend is
     * taken to have stopped reading and the connection is closed; the messages go out again on a
     * new connection. Friends acknowledge on receipt, so a slow listener does not trip it.
     *
     * @param deadline positive
     * @return this builder
     */
    public PeerBuilder writeDeadline(Duration deadline) {
        this.writeDeadline = positive("writeDeadline", deadline);
        return this;
    }

    /**
     * Sets the delay after the first failed connection attempt; it doubles after each further
     * failure, up to {@link #maxReconnectDelay} or {@link #maxHandshakeRetryDelay} depending on
     * how the attempt failed, each drawn at random from the upper half of its step. The first
     * attempt, and the first after a connection on which the friend acknowledged a message, is
     * immediate.
     *
     * @param delay positive
     * @return this builder
     */
    public PeerBuilder reconnectDelay(Duration delay) {
        this.reconnectDelay = positive("reconnectDelay", delay);
        return this;
    }

    /**
     * Sets the longest delay between connection attempts that nobody answers: refused (nothing
     * listens), unreachable, unresolved or timed out. Such an attempt costs one packet each way
     * (a timeout spaces attempts by the connect timeout anyway), so it is retried often: a friend
     * that starts listening again gets its waiting messages within about this delay, however
     * long it was away.
     *
     * @param delay positive
     * @return this builder
     */
    public PeerBuilder maxReconnectDelay(Duration delay) {
        this.maxReconnectDelay = positive("maxReconnectDelay", delay);
        return this;
    }

    /**
     * Sets the longest delay between connection attempts that reach the friend's address but give
     * no working connection: the handshake fails, is cut, times out or is refused, the connection
     * cap is reached, or the connection is lost before the friend acknowledged anything. Each
     * such attempt costs both peers a handshake, so these back off further.
     *
     * @param delay positive
     * @return this builder
     */
    public PeerBuilder maxHandshakeRetryDelay(Duration delay) {
        this.maxHandshakeRetryDelay = positive("maxHandshakeRetryDelay", delay);
        return this;
    }

    /**
     * Sets how often this peer sends each other member of its rooms a digest of the membership
     * records it holds: the member answers with what it holds that is newer or missing, so views
     * converge after a partition, and its acknowledgement shows it is reachable. With each digest
     * goes where this peer stands in each member's messages, so that a member that has them sends
     * this peer those it stayed without for a whole interval (see {@link #roomCatchUpCount}).
     *
     * @param interval more than zero
     * @return this builder
     */
    public PeerBuilder roomDigestInterval(Duration interval) {
        this.roomDigestInterval = positive("roomDigestInterval", interval);
        return this;
    }

    /**
     * Sets how long a room member may acknowledge nothing (no digest, no message) before this
     * peer reports it failed ({@link org.p2pchat.api.MessageListener#onMemberFailed}). A
     * connection that closes because it was idle is not a failure: digests keep members in
     * touch. This peer keeps trying to reach a failed member and reports it joined again when
     * it answers.
     *
     * @param timeout more than zero; at least twice the digest interval makes sense
     * @return this builder
     */
    public PeerBuilder roomFailureTimeout(Duration timeout) {
        this.roomFailureTimeout = positive("roomFailureTimeout", timeout);
        return this;
    }

    /**
     * Sets how many of a room's latest messages this peer keeps, per room, to send again to a
     * member that missed them: one that rejoins after a restart (its store says where it
     * stopped), or one that a partition left behind (digests show it). Messages beyond it, or
     * older than {@link #roomCatchUpAge}, or beyond {@link #roomCatchUpBytes}, are not kept, the
     * oldest going first; a member that missed those never gets them.
     *
     * @param messages zero or more; zero keeps none, so this peer catches no one up
     * @return this builder
     */
    public PeerBuilder roomCatchUpCount(int messages) {
        if (messages < 0) {
            throw new IllegalArgumentException("expected roomCatchUpCount >= 0, got " + messages);
        }
        this.roomCatchUpCount = messages;
        return this;
    }

    /**
     * Sets how long this peer keeps a room message, from when it delivered or published it, to
     * catch other members up (see {@link #roomCatchUpCount}).
     *
     * @param age more than zero
     * @return this builder
     */
    public PeerBuilder roomCatchUpAge(Duration age) {
        this.roomCatchUpAge = positive("roomCatchUpAge", age);
        return this;
    }

    /**
     * Sets how many bytes of room messages this peer keeps, per room, to catch other members up
     * (see {@link #roomCatchUpCount}); each message counts its encoded size (its text plus 136
     * bytes) plus 100. A message larger than this is never kept.
     *
     * @param bytes zero or more
     * @return this builder
     */
    public PeerBuilder roomCatchUpBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("expected roomCatchUpBytes >= 0, got " + bytes);
        }
        this.roomCatchUpBytes = bytes;
        return this;
    }

    /**
     * Sets how long {@link Peer#close()} waits for messages not yet acknowledged, like ZeroMQ's
     * {@code ZMQ_LINGER}: meanwhile new sends fail at once with
     * {@link org.p2pchat.api.PeerClosedException}, and the waiting messages keep being sent and
     * retried, reconnections included. Closing goes on as soon as every friend has acknowledged
     * everything, or when the linger has passed; the messages still unacknowledged then fail with
     * {@code PeerClosedException}. Measured in real time, like {@link #closeTimeout}.
     *
     * @param linger zero or more; zero fails waiting messages at once
     * @return this builder
     */
    public PeerBuilder closeLinger(Duration linger) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("expected closeLinger >= 0, got " + linger);
        }
        this.closeLinger = linger;
        return this;
    }

    /**
     * Sets the directory that keeps this peer's identity key ({@code identity.key}, readable by
     * its owner only) and the keys trusted on first use ({@code known_peers}), so both survive a
     * restart. Default: none, and then the peer has a new key every start and forgets the keys
     * it trusted when it closes.
     *
     * @param directory the directory; created if missing
     * @return this builder
     */
    public PeerBuilder stateDirectory(Path directory) {
        this.stateDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets how long a connection's handshake may take before it is closed.
     *
     * @param timeout positive
     * @return this builder
     */
    public PeerBuilder handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = positive("handshakeTimeout", timeout);
        return this;
    }

    /**
     * Sets how many accepted connections may be in their handshake at once; more are closed at
     * once, so a flood of silent connections cannot hold the peer's memory or CPU.
     *
     * @param handshakes at least 1
     * @return this builder
     */
    public PeerBuilder maxHandshakes(int handshakes) {
        if (handshakes < 1) {
            throw new IllegalArgumentException("expected maxHandshakes >= 1, got " + handshakes);
        }
        this.maxHandshakes = handshakes;
        return this;
    }

    /**
     * Sets how many new handshakes a second strangers may start together; one source (an IPv4
     * address, an IPv6 /64) a tenth of it, and a friend's listed address its own tenth times
     * ten. Connections beyond it are closed before any Diffie-Hellman. Raise it where many
     * strangers legitimately connect at once (behind one NAT, in a load test); the default keeps
     * a flood from costing more than about 200 key agreements a second.
     *
     * @param perSecond at least 1
     * @return this builder
     */
    public PeerBuilder handshakeRate(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("expected handshakeRate >= 1, got " + perSecond);
        }
        this.handshakeRate = perSecond;
        return this;
    }

    /** Sets messages per key before both sides rekey; tests use small values. */
    PeerBuilder rekeyInterval(long messages) {
        this.rekeyInterval = messages;
        return this;
    }

    /**
     * Sets where the peer listens. Default: its own entry in the directory if it has one, else
     * {@code 127.0.0.1} on a free port.
     *
     * @param address the address; port 0 picks a free port
     * @return this builder
     */
    public PeerBuilder listenOn(PeerAddress address) {
        this.listenAddress = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Sets the directory friends are looked up in. Default: empty (the peer can only answer
     * peers that connect to it).
     *
     * @param directory the friends, for example from {@link UserInfo#load}
     * @return this builder
     */
    public PeerBuilder directory(PeerDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets what receives messages. Default: a listener that ignores them.
     *
     * @param listener the listener
     * @return this builder
     */
    public PeerBuilder listener(MessageListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets the executor listener calls run on. Calls stay ordered and one at a time whatever the
     * executor (a pool is fine). Calls it rejects wait and are offered again, after 10 ms, then
     * doubling to every second, until it accepts them or the peer closes: none is lost. Default:
     * one daemon thread owned by the peer, stopped on close.
     *
     * @param executor the executor, owned by the caller
     * @return this builder
     */
    public PeerBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Runs the listener calls for what a frame brings (direct messages, room messages, file
     * offers and files' control messages) on the network thread that read the frame, as soon as
     * it is done with it, instead of handing them to the callback thread: a round trip (a
     * message and its reply from the listener) then crosses two thread hand-overs fewer. The
     * other calls (trust decisions, members failing, file progress) still run on the
     * {@link #callbackExecutor callback executor}. Calls stay one at a time and in order, and run
     * outside the peer's locks, so the listener may send. But while it runs, this peer reads and
     * writes nothing else: keep it short, and never wait in it for a send's stage (that would
     * wait for the very thread it holds). Default: false.
     *
     * @param onNetworkThread whether to run them on the network thread
     * @return this builder
     */
    public PeerBuilder callbacksOnNetworkThread(boolean onNetworkThread) {
        this.callbacksOnNetworkThread = onNetworkThread;
        return this;
    }

    /**
     * Chooses the transport by provider name ({@code nio}, {@code local}); overrides
     * {@code p2pchat.transport}.
     *
     * @param providerName the provider's name
     * @return this builder
     */
    public PeerBuilder transport(String providerName) {
        this.transportName = Objects.requireNonNull(providerName, "providerName");
        this.provider = null;
        return this;
    }

    /**
     * Chooses the message store by provider name: {@code memory} (history, outbox and receive
     * records in memory, bounded, gone with the process) or {@code sqlite} (in
     * {@code history.db} in the state directory, from {@code org.p2pchat:p2pchat-store-sqlite};
     * survives crashes). Overrides {@code p2pchat.store}.
     *
     * @param providerName the provider's name
     * @return this builder
     */
    public PeerBuilder store(String providerName) {
        this.storeName = Objects.requireNonNull(providerName, "providerName");
        this.store = null;
        return this;
    }

    /**
     * Uses this store, bypassing discovery; the peer owns it from now on and closes it when it
     * closes.
     *
     * @param messageStore the store
     * @return this builder
     */
    public PeerBuilder store(MessageStore messageStore) {
        this.store = Objects.requireNonNull(messageStore, "messageStore");
        return this;
    }

    /**
     * Uses this provider, bypassing discovery.
     *
     * @param transportProvider the provider
     * @return this builder
     */
    public PeerBuilder transport(TransportProvider transportProvider) {
        this.provider = Objects.requireNonNull(transportProvider, "transportProvider");
        return this;
    }

    /**
     * Sets the largest frame sent or accepted; see {@link TransportOptions#maxFrameBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public PeerBuilder maxFrameBytes(int bytes) {
        options.maxFrameBytes(bytes);
        return this;
    }

    /**
     * Sets each connection's write queue limit; see {@link TransportOptions#writeQueueLimitBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public PeerBuilder writeQueueLimitBytes(long bytes) {
        options.writeQueueLimitBytes(bytes);
        return this;
    }

    /**
     * Sets how long an unused connection stays open; see {@link TransportOptions#idleTimeout()}.
     *
     * @param timeout zero for never
     * @return this builder
     */
    public PeerBuilder idleTimeout(Duration timeout) {
        options.idleTimeout(timeout);
        return this;
    }

    /**
     * Sets how many authenticated connections may be open at once. Strangers (callers the
     * directory does not list) hold at most half, at most 4 from one address; beyond that they are
     * refused as busy. A friend always gets in: when all are taken, the stranger's connection heard
     * from longest ago is closed for it. The transport's cap is this plus {@link #maxHandshakes}
     * and a few more, for connections still in their handshake.
     *
     * @param connections at least 1
     * @return this builder
     */
    public PeerBuilder maxConnections(int connections) {
        options.maxConnections(connections);
        return this;
    }

    /**
     * Sets the connect timeout; see {@link TransportOptions#connectTimeout()}.
     *
     * @param timeout positive
     * @return this builder
     */
    public PeerBuilder connectTimeout(Duration timeout) {
        options.connectTimeout(timeout);
        return this;
    }

    /**
     * Sets how long closing may spend, once the {@link #closeLinger linger} is over, writing the
     * frames connections still have queued before it drops them and stops; see
     * {@link TransportOptions#closeTimeout()}. It waits for no acknowledgement: that is the
     * linger's job.
     *
     * @param timeout positive
     * @return this builder
     */
    public PeerBuilder closeTimeout(Duration timeout) {
        options.closeTimeout(timeout);
        return this;
    }

    /**
     * Sets the clock for idle closes and timeouts; for tests that advance time by hand.
     *
     * @param ticker the clock
     * @return this builder
     */
    public PeerBuilder ticker(Ticker ticker) {
        options.ticker(ticker);
        return this;
    }

    /**
     * Creates the transport, binds the listen address and returns the running peer.
     *
     * @return the peer; close it when done
     * @throws TransportNotFoundException if no transport can be chosen
     * @throws ListenFailedException if the listen address cannot be bound
     */
    public Peer start() {
        TransportProvider chosen = provider != null ? provider
                : TransportSelector.discover(transportName);
        TransportOptions asked = options.build();
        // The transport's cap leaves room above the authenticated connections for those still
        // in their handshake (and the key probes of callers), which the handshake gate bounds.
        TransportOptions transportOptions = asked.toBuilder()
                .maxConnections(asked.maxConnections() + maxHandshakes + KEY_PROBE_HEADROOM)
                .build();
        DeliveryOptions delivery = deliveryOptions(transportOptions.maxFrameBytes());
        PeerAddress address = listenAddress != null ? listenAddress
                : directory.lookup(name).map(PeerEntry::address).orElse(PeerAddress.loopback(0));
        ExecutorService owned = callbackExecutor == null
                ? Executors.newSingleThreadExecutor(SerialCallbacks.daemonThreads(name)) : null;
        Executor callbacks = owned != null ? owned : callbackExecutor;
        if (callbacksOnNetworkThread) {
            callbacks = new AfterFrame(callbacks);
        }
        SecureRandom random = new SecureRandom();
        Identity identity = stateDirectory == null ? Identity.ephemeral(random)
                : Identity.loadOrCreate(stateDirectory.resolve("identity.key"), random);
        java.util.function.Predicate<String> listed = friend -> directory.lookup(friend).isPresent();
        KnownPeers known = stateDirectory == null ? KnownPeers.inMemory(listed)
                : KnownPeers.load(stateDirectory.resolve("known_peers"), listed);
        SessionOptions session = new SessionOptions(identity, new TrustStore(directory, known),
                handshakeTimeout, maxHandshakes, rekeyInterval, asked.maxConnections(),
                handshakeRate);
        MessageStore messages = store != null ? store
                : StoreSelector.discover(storeName, stateDirectory).open(stateDirectory);
        ChatNode node;
        try {
            Transport transport = chosen.create(transportOptions);
            node = new ChatNode(name, directory, listener, callbacks, owned, transport,
                    transportOptions, session, delivery,
                    new org.p2pchat.core.internal.room.RoomOptions(roomDigestInterval,
                            roomFailureTimeout, new CatchUpLimits(roomCatchUpCount,
                                    roomCatchUpAge, roomCatchUpBytes)), messages)
                    .fileOptions(org.p2pchat.core.internal.files.FileOptions.withMaxFileBytes(
                            maxFileBytes));
        } catch (RuntimeException e) {
            messages.close();
            throw e;
        }
        return node.start(address);
    }

    private DeliveryOptions deliveryOptions(int maxFrameBytes) {
        if (maxFrameBytes < WireCodec.MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be at least "
                    + WireCodec.MIN_FRAME_BYTES + ", got " + maxFrameBytes);
        }
        if (receiveWindowBytes < 2L * maxFrameBytes) {
            throw new IllegalArgumentException("receiveWindowBytes (" + receiveWindowBytes
                    + ") must be at least twice maxFrameBytes (" + maxFrameBytes + ")");
        }
        return new DeliveryOptions(deliveryTimeout, outboxLimitBytes, receiveWindowBytes,
                heartbeatInterval, writeDeadline, reconnectDelay, maxReconnectDelay,
                maxHandshakeRetryDelay, maxFrameBytes, closeLinger, inboundMemoryBytes);
    }
}
