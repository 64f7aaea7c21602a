package org.p2pchat.core.internal.room;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.session.Ed25519;

/**
 * What rooms need of the node: this peer's identity, the links to members (reliable, numbered,
 * acknowledged DATA messages of the room kinds), a serial lane per room off the event loop, a
 * timer, the listener, and the settings. Implemented by the node; thread-safe.
 */
public interface RoomNet {
    /** The DATA message kind of a room message. */
    byte KIND_POST = 1;
    /** The DATA message kind of a membership message. */
    byte KIND_CONTROL = 2;

    /** This peer's name. */
    String selfName();

    /** Where this peer listens. */
    PeerAddress selfAddress();

    /** This peer's key. */
    PeerKey selfKey();

    /** This peer's signing keys. */
    Ed25519.Keys signer();

    /**
     * Queues a room frame to a member over the link of its key, opening a connection at
     * {@code address} if none is open.
     *
     * @param member the member's key
     * @param label the member's name, for logs and the peer list
     * @param address where it listens
     * @param kind {@link #KIND_POST} or {@link #KIND_CONTROL}
     * @param body the message, owned by the link from now on
     * @return completes when the member has acknowledged it; fails as a direct send does
     */
    CompletionStage<Void> send(PeerKey member, String label, PeerAddress address, byte kind,
            byte[] body);

    /**
     * Connects to whoever listens at an address, for a join.
     *
     * @param address the address
     * @return completes with the key the peer there proved
     */
    CompletionStage<PeerKey> reach(PeerAddress address);

    /** Whether a connection to the peer with this key is open now. */
    boolean connected(PeerKey key);

    /**
     * Runs a task in a lane: tasks of one lane run one at a time, in order, off the event loop,
     * on the listener's executor.
     */
    void execute(Object lane, Runnable task);

    /** The node's timer, for digests and failure checks. */
    ScheduledExecutorService timer();

    /** The node's clock, in nanoseconds, for deadlines. */
    long nanoTime();

    /** The wall clock, in milliseconds since the epoch, for timestamps and incarnations. */
    long currentTimeMillis();

    /** The application's listener. */
    MessageListener listener();

    /** How often members exchange digests ({@code p2pchat.roomDigestInterval}). */
    Duration digestInterval();

    /** How long a member may be unreachable before it is reported failed. */
    Duration failureTimeout();

    /** How long a message waits for its acknowledgement ({@code p2pchat.deliveryTimeout}). */
    Duration deliveryTimeout();

    /** What each room keeps of recent messages to catch members up ({@code p2pchat.roomCatchUp*}). */
    CatchUpLimits catchUpLimits();

    /** The longest room message body, in bytes, that fits a frame. */
    int maxBodyBytes();

    /** Where the rooms' history goes. */
    org.p2pchat.spi.MessageStore store();
}
