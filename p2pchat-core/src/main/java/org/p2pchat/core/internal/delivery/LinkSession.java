package org.p2pchat.core.internal.delivery;

import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;

/**
 * One authenticated connection to a friend, with what the friend said about itself in its HELLO
 * and when it was last heard from. Created by {@code LinkHandler} when the handshake succeeds.
 *
 * <p>Thread-safe: the identity fields are final; {@link #lastHeard} is written on the event loop
 * and read by the link's timer.
 */
public final class LinkSession {
    private final SecureChannel channel;
    private final long remoteEpoch;
    private final int remoteMaxFrameBytes;
    private volatile long lastHeard;
    private final boolean kept;

    public LinkSession(SecureChannel channel, long remoteEpoch, int remoteMaxFrameBytes,
            long now) {
        this(channel, remoteEpoch, remoteMaxFrameBytes, now, false);
    }

    /**
     * Creates the session of a connection that has just authenticated its peer.
     *
     * @param channel the secure channel
     * @param remoteEpoch the peer process's epoch, from its HELLO
     * @param remoteMaxFrameBytes the peer's frame limit, from its HELLO
     * @param now the node's ticker now
     * @param kept whether this connection is the one both sides keep when they hold two to each
     *     other: the one opened by the peer with the smaller key (both sides compute the same)
     */
    public LinkSession(SecureChannel channel, long remoteEpoch, int remoteMaxFrameBytes,
            long now, boolean kept) {
        this.channel = channel;
        this.remoteEpoch = remoteEpoch;
        this.remoteMaxFrameBytes = remoteMaxFrameBytes;
        this.lastHeard = now;
        this.kept = kept;
    }

    /**
     * Whether this connection is the one kept when two peers opened one to each other at the
     * same time: the one whose opener has the smaller key.
     */
    public boolean kept() {
        return kept;
    }

    public SecureChannel channel() {
        return channel;
    }

    public Connection connection() {
        return channel.connection();
    }

    public boolean isOpen() {
        return channel.connection().isOpen();
    }

    /** The random number the friend's process drew at start: a new one means it restarted. */
    long remoteEpoch() {
        return remoteEpoch;
    }

    /** The largest frame the friend accepts. */
    public int remoteMaxFrameBytes() {
        return remoteMaxFrameBytes;
    }

    /** When the last frame arrived, on the node's ticker. */
    public long lastHeard() {
        return lastHeard;
    }

    public void heard(long now) {
        lastHeard = now;
    }

    @Override
    public String toString() {
        return "connection " + channel.connection().id();
    }
}
