package org.p2pchat.core.internal.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.OutboxFullException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.spi.Ticker;

/**
 * Everything a peer knows about one friend: the connections to it, the {@link Outbox} of messages
 * it has not acknowledged, and the {@link Inflow} of what it sent.
 *
 * <p><b>Delivery.</b> Messages go out on the current connection, packed several to a frame when
 * they queue up, within the window the friend granted. When the connection is lost the messages
 * in flight are sent again on the next one, which its {@link Redial} opens, at the directory's
 * address or, for a friend the directory does not list, at its call-back address. A message
 * leaves the outbox when the friend acknowledges it (its send completes) or when its delivery
 * timeout passes (its send fails). When the node closes, the link first refuses new messages
 * while the waiting ones carry on ({@link #stopAccepting}), then fails what is left.
 *
 * <p><b>Parts.</b> Which connection carries the messages is its {@link LinkConnections}'; while
 * messages wait, its {@link OutboxTimer} ticks: it expires messages and asks its {@link Liveness}
 * whether to PING the connection or close it. This class takes each event (a message to send, a
 * connection, an acknowledgement, the node closing) and has its parts do their share.
 *
 * <p><b>Threading.</b> Thread-safe. Application threads send; the event loop attaches, detaches
 * and acknowledges; the node's timer ticks and retries. State is guarded by this object's lock,
 * its parts' included, which is never held while a frame is sealed or a future completed: its
 * {@link Transmitter} seals outside it.
 */
public final class FriendLink {
    /** What a link needs from the node that owns it. */
    public interface Connector {
        /** Opens a connection to the friend; the stage fails if it does not reach the open state. */
        CompletionStage<Void> connect(FriendLink link, PeerAddress address);

        /**
         * Where the directory, or a room's signed member record, says the peer listens now; null
         * if neither knows it (a stranger, called back at its call-back address, if any).
         */
        PeerAddress listedAddress(FriendLink link);

        /**
         * The link has nothing to send and no connection, after a timer event: the node may
         * forget it (as it does when a connection closes). Called with no lock held.
         */
        void idle(FriendLink link);
    }

    /** Acknowledgements beyond this are refused: numbering must never come near overflow. */
    private static final long MAX_SEQ = 1L << 62;

    /** The name shown; final once the first handshake has named the peer (see {@link #named}). */
    private volatile String friend;
    private volatile PeerKey key;
    private final DeliveryOptions options;
    private final Ticker ticker;
    private final Connector connector;
    private final Outbox outbox;
    private final Inflow inflow;
    private final Redial redial;
    private final Liveness liveness;
    private final Transmitter transmitter;
    private final LinkConnections connections;
    private final OutboxTimer outboxTimer;
    /** Counts what this link does, for {@code Peer.stats()}; guarded by the lock. */
    final DeliveryMeter meter;
    /**
     * Records its text messages in the store once it is the one link of its peer's key (a link
     * found by a name or an address may still hand its messages over to another).
     */
    private final LinkRecorder recorder;

    /** Set when the node starts closing: new messages fail with it, waiting ones carry on. */
    private P2pChatException refusal;
    private P2pChatException closedReason;

    /** Its node forgot it: sends must go to a new link (see {@link #dispose}). */
    private boolean disposed;

    /**
     * Creates the link to one friend; it opens no connection before a message waits.
     *
     * @param friend the friend's name
     * @param options timeouts and limits
     * @param ticker the node's clock
     * @param timer runs ticks and delayed connection attempts
     * @param connector what the link needs of its node
     * @param inflow what this peer received from the friend so far
     * @param callBack where to call the friend if the directory does not list it, or null
     * @param random draws the jitter of delays between attempts
     * @param journal records its text messages in the store
     */
    public FriendLink(String friend, DeliveryOptions options, Ticker ticker,
            ScheduledExecutorService timer, Connector connector, Inflow inflow,
            PeerAddress callBack, java.util.random.RandomGenerator random, SendJournal journal) {
        this.friend = friend;
        this.recorder = new LinkRecorder(journal, options.deliveryTimeout());
        this.options = options;
        this.ticker = ticker;
        this.connector = connector;
        this.outbox = new Outbox(friend, options.outboxLimitBytes());
        this.inflow = inflow;
        this.meter = new DeliveryMeter(this, outbox, inflow, ticker);
        this.liveness = new Liveness(friend, options);
        this.transmitter = new Transmitter(this, friend, outbox, options, ticker);
        this.connections = new LinkConnections(this::carryOn, callBack);
        this.redial = new Redial(this, timer,
                new Backoff(options.reconnectDelay(), options.maxReconnectDelay(), random),
                new Backoff(options.reconnectDelay(), options.maxHandshakeRetryDelay(), random),
                this::dialAddress, address -> connector.connect(this, address),
                this::needsConnection, this::connectEnded);
        this.outboxTimer = new OutboxTimer(this, outbox, connections, liveness, redial,
                transmitter, connector, ticker, timer, options);
    }

    /** The name the peer goes by here: the directory's, a room's, or its own. */
    public String friend() {
        return friend;
    }

    /**
     * The key of the peer: given when the link was made for a known key, or proven by the first
     * connection's handshake; null until then (a directory friend not yet met, or a join
     * through an address).
     */
    public PeerKey key() {
        return key;
    }

    /**
     * The peer of a link made for an address (a join) has proven its key and given its name:
     * from now on the link goes by that name, not by the address.
     *
     * @param name the name it goes by
     */
    public void named(String name) {
        friend = name;
    }

    /**
     * The link is for this key: known when it is made, or proven by its first handshake.
     *
     * @param proven the key
     */
    public void proven(PeerKey proven) {
        if (key == null) {
            key = proven;
        }
    }

    /**
     * Takes the messages out of this link, which turned out to reach the peer of another link
     * (a friend met under another name, a room member reached by its address), so that they go
     * through that link instead; this one is disposed. Called before it transmitted anything.
     *
     * @return the messages, in order
     */
    public List<Waiting> handOver() {
        List<Outbox.Entry> left = new ArrayList<>();
        synchronized (this) {
            disposed = true;
            outbox.clear(left);
            outboxTimer.stop();
            redial.cancel();
        }
        List<Waiting> out = new ArrayList<>(left.size());
        for (Outbox.Entry e : left) {
            out.add(new Waiting(e.kind, e.utf8, e.done));
        }
        return out;
    }

    /**
     * A message handed from one link to another.
     *
     * @param kind its kind
     * @param body its bytes
     * @param done the future its sender holds
     */
    public record Waiting(byte kind, byte[] body, CompletableFuture<Void> done) {
    }

    public Inflow inflow() {
        return inflow;
    }

    /**
     * Queues a message and sends it as soon as a connection and the friend's window allow.
     *
     * @param kind the message's kind ({@link MessageFrames#KIND_TEXT}...)
     * @param utf8 the message's bytes, owned by the link from now on
     * @return completes when the friend acknowledges the message; null if the node has just
     *     forgotten this link, so the message must go to the friend's new one
     */
    public CompletionStage<Void> send(byte kind, byte[] utf8) {
        return send(kind, utf8, null);
    }

    /**
     * As {@link #send(byte, byte[])}, for a text message whose text the caller has at hand.
     *
     * @param kind the message's kind
     * @param utf8 the message's bytes, owned by the link from now on
     * @param text the text {@code utf8} encodes, or null
     * @return as {@link #send(byte, byte[])}
     */
    public CompletionStage<Void> send(byte kind, byte[] utf8, String text) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean flush;
        synchronized (this) {
            if (disposed) {
                return null;
            }
            if (closedReason != null || refusal != null) {
                return CompletableFuture.failedFuture(closedReason != null ? closedReason : refusal);
            }
            long now = ticker.nanoTime();
            try {
                if (outbox.isEmpty()) {
                    liveness.awaiting(now);
                }
                recorder.added(outbox.add(kind, utf8, done,
                        now + options.deliveryTimeout().toNanos()), key, friend, text, now);
            } catch (OutboxFullException e) {
                return CompletableFuture.failedFuture(e);
            }
            ensureConnection();
            ensureTick();
            flush = transmitter.mightSend();
        }
        if (flush) {
            transmitter.flush();
        }
        return done;
    }

    /**
     * Queues a message restored from the store's outbox, sent again by this process: it travels
     * as {@link MessageFrames#KIND_TEXT_AGAIN} with its first numbering. Nobody waits for it; its
     * history record says how it ends.
     *
     * @param message its record
     * @return false if the node has just forgotten this link: restore it on the key's new one
     */
    public boolean restore(TrackedText message) {
        synchronized (this) {
            if (disposed) {
                return false;
            }
            long left = java.time.Duration.between(java.time.Instant.now(), message.deadline())
                    .toNanos();
            long now = ticker.nanoTime();
            if (outbox.isEmpty()) {
                liveness.awaiting(now);
            }
            Outbox.Entry e = outbox.addRestored(MessageFrames.KIND_TEXT_AGAIN,
                    MessageFrames.textAgain(message.epoch(), message.seq(), message.text()),
                    new CompletableFuture<>(), now + Math.max(0, left));
            e.tracked = message;
            ensureConnection();
            ensureTick();
        }
        transmitter.flush();
        return true;
    }

    /**
     * This link is the one of its peer's key from now on: its text messages, those waiting
     * included, are recorded in the store.
     */
    public synchronized void startRecording() {
        recorder.start(outbox, key, friend);
    }

    /** Lock held: entries were given up on; the store hears of those it recorded. */
    void recordFailed(List<Outbox.Entry> entries) {
        recorder.failed(entries, key);
    }

    // ---- connections ----

    /**
     * Lock held: messages go out on {@code session} from now on, from the first unacknowledged
     * one; or on none.
     */
    private void carryOn(LinkSession session) {
        outbox.rewind();
        transmitter.sendOn(session);
        if (session != null) {
            // Silence is counted on the new connection from when it took over.
            liveness.awaiting(ticker.nanoTime());
        }
    }

    /** Lock held: the directory's address for the friend, else its call-back address, or null. */
    private PeerAddress dialAddress() {
        PeerAddress listed = connector.listedAddress(this);
        return listed != null ? listed : connections.callBack();
    }

    /**
     * Records where the friend can be called back once its connections are gone, if the
     * directory does not list it. Event loop, for each connection the friend opened.
     *
     * @param address the connection's source address at the port the friend's HELLO names, or
     *     null if there is none to call
     */
    public synchronized void callBackAt(PeerAddress address) {
        connections.callBackAt(address);
    }

    /** Where the friend can be called back if the directory does not list it, or null. */
    public synchronized PeerAddress callBack() {
        return connections.callBack();
    }

    /** Lock held: whether messages wait and no connection is open. */
    private boolean needsConnection() {
        return closedReason == null && !outbox.isEmpty() && !connections.connected();
    }

    /** Opens a connection if messages wait and none is open or coming; lock held. */
    void ensureConnection() {
        if (needsConnection()) {
            redial.request();
        }
    }

    private void connectEnded(Throwable cause) {
        if (cause == null) {
            return;
        }
        List<Outbox.Entry> refused = new ArrayList<>();
        synchronized (this) {
            if (Undelivered.hopeless(cause) && !connections.connected()) {
                // A key mismatch will not mend by retrying, nor will a transport that closed
                // itself: fail every message now. (With a connection from the friend open, the
                // messages keep going out on it.)
                outbox.clear(refused);
                recordFailed(refused);
            } else {
                ensureConnection();
            }
        }
        Undelivered.fail(refused, cause, friend, options.deliveryTimeout());
    }

    /**
     * Adds an authenticated connection to this friend. It carries messages when there is no
     * other open one. A connection from a restarted friend closes those of its old process.
     * Event loop.
     *
     * @param session the connection
     * @return false if the node has just forgotten this link: attach to the friend's new one
     */
    public boolean attach(LinkSession session) {
        LinkConnections.Changes changes = new LinkConnections.Changes();
        synchronized (this) {
            if (disposed) {
                return false;
            }
            connections.add(session, inflow.epoch(session.remoteEpoch(), key), changes);
        }
        changes.carryOut(friend);
        return true;
    }

    /**
     * Forgets a closed connection; an open spare, if any, takes its place, else a new one is
     * opened if messages wait. Event loop.
     *
     * @param session the connection that closed
     * @param reason why
     */
    public void detach(LinkSession session, ConnectionClosedException reason) {
        LinkSession probe;
        synchronized (this) {
            if (!connections.remove(session)) {
                return;
            }
            redial.lost(reason);
            probe = connections.promoteSpare();
            ensureConnection();
        }
        if (probe != null) {
            // Its window was granted long ago: ask for a fresh one.
            Transmitter.ping(probe);
        }
    }

    // ---- acknowledgements ----

    /**
     * The friend acknowledged every message up to {@code acked} and granted {@code window} more
     * bytes on {@code session}. Event loop.
     *
     * @throws ProtocolException if it acknowledges a message never sent
     */
    public void acknowledged(LinkSession session, long acked, long window) {
        List<Outbox.Entry> done;
        synchronized (this) {
            if (acked > outbox.highestTransmitted()) {
                if (outbox.everTransmitted() || acked >= MAX_SEQ) {
                    throw new ProtocolException(friend + " acknowledged message " + acked
                            + " but only " + outbox.highestTransmitted() + " were sent");
                }
                // This link replaces one the node forgot while idle; the friend remembers its
                // numbers, which must go on, or it would take the next messages for copies.
                recorder.renumber(outbox, acked + 1, key);
            }
            long inFlightBefore = outbox.inFlightUnits();
            done = new ArrayList<>(outbox.inFlightUpTo(acked));
            outbox.acknowledge(acked, done);
            meter.acknowledged(done);
            recorder.delivered(done, key);
            transmitter.granted(session, window, inFlightBefore - outbox.inFlightUnits());
            if (!done.isEmpty()) {
                // Only progress proves the friend works; a bare ACK from a friend that then
                // drops every connection must not reset the delays between attempts.
                redial.progress();
                liveness.awaiting(ticker.nanoTime());
            }
        }
        for (Outbox.Entry e : done) {
            e.done.complete(null);
        }
        transmitter.flush();
    }

    // ---- the timer ----

    /** Lock held: starts the timer if it is not running. */
    private void ensureTick() {
        if (closedReason == null) {
            outboxTimer.start();
        }
    }

    /** Runs on the node's timer while messages wait; package-private so tests can drive it. */
    void tick() {
        outboxTimer.tick();
    }

    /**
     * Refuses new messages from now on; those waiting keep being sent and retried. The node is
     * closing and lingers for them.
     *
     * @param reason the exception new messages fail with
     * @param pending receives the futures of the messages still waiting for an acknowledgement
     */
    public synchronized void stopAccepting(P2pChatException reason,
            List<CompletableFuture<Void>> pending) {
        refusal = reason;
        outbox.pending(pending);
    }

    /**
     * Fails every message waiting and stops the timers; the node is closing.
     *
     * @param reason the exception to fail them with
     */
    public void close(P2pChatException reason) {
        List<Outbox.Entry> left = new ArrayList<>();
        synchronized (this) {
            closedReason = reason;
            outbox.clear(left);
            outboxTimer.stop();
            redial.cancel();
        }
        for (Outbox.Entry e : left) {
            e.done.completeExceptionally(reason);
        }
    }

    // ---- state ----

    public synchronized ConnectionState state() {
        if (connections.connected()) {
            return ConnectionState.CONNECTED;
        }
        return redial.busy() ? ConnectionState.CONNECTING : ConnectionState.DISCONNECTED;
    }

    /**
     * Tells whether this link can be forgotten: a friend the directory does not list, with no
     * connection, no attempt under way and nothing to send. (Its node keeps what it received and
     * its call-back address for a while.)
     *
     * @return true if nothing refers to it any more
     */
    boolean isDisposable() {
        // The node is asked first, without this link's lock: it takes locks of its own (a
        // room's), which are held elsewhere while this link is asked about its connection.
        if (connector.listedAddress(this) != null) {
            return false;
        }
        synchronized (this) {
            return idle();
        }
    }

    /** Lock held: whether the link has nothing to send, no connection and no attempt under way. */
    boolean idle() {
        return outbox.isEmpty() && connections.none() && !redial.connecting();
    }

    /**
     * Whether a connection to the peer is open now; takes no lock, so any thread may ask while
     * holding locks of its own.
     *
     * @return true if the current connection is open
     */
    public boolean connected() {
        return connections.connected();
    }

    /**
     * Marks the link forgotten if it {@link #isDisposable is disposable}; from then on
     * {@link #send} refuses messages (returns null) so that they go to a new link.
     *
     * @return true if it is now disposed
     */
    public boolean dispose() {
        boolean kept = connector.listedAddress(this) != null;
        synchronized (this) {
            if (!disposed && !kept && idle()) {
                disposed = true;
            }
            return disposed;
        }
    }

    /** Whether the node forgot this link (or it handed its messages over to another). */
    public synchronized boolean isDisposed() {
        return disposed;
    }

    /** Why the last attempt failed or the last connection closed, while messages wait; or null. */
    public synchronized Throwable connectionFailure() {
        return outbox.isEmpty() ? null : redial.lastFailure();
    }

    /**
     * When a frame from the peer last arrived, on the node's ticker, on any connection so far.
     *
     * @return the time, or {@link Long#MIN_VALUE} if nothing ever arrived
     */
    public synchronized long lastHeard() {
        return connections.lastHeard();
    }

    public synchronized int openConnections() {
        return connections.open();
    }

    /** For tests and diagnostics: bytes of unacknowledged messages, as the limit counts them. */
    public synchronized long outboxBytes() {
        return outbox.units();
    }

    /** The counters of this link, which its node also counts its connections in. */
    public org.p2pchat.core.internal.observe.LinkCounters counters() {
        return meter.counters();
    }

    /** For {@code Peer.stats()}, any thread: the counters, and what it holds, under its lock. */
    public synchronized org.p2pchat.core.internal.observe.LinkSample sample() {
        return meter.sample(transmitter, openConnections(), options.outboxLimitBytes());
    }
}
