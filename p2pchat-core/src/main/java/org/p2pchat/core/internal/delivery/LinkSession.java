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

    public LinkSession(SecureChannel channel, long remoteEpoch, int remoteMaxFrameBytes,
            long now) {
        this.channel = channel;
        this.remoteEpoch = remoteEpoch;
        this.remoteMaxFrameBytes = remoteMaxFrameBytes;
        this.lastHeard = now;
    }

    SecureChannel channel() {
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
    int remoteMaxFrameBytes() {
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
