package org.p2pchat.api;

/** The state of a {@link Peer}'s connection to one friend, as {@link Peer#connectionState} reports it. */
public enum ConnectionState {
    /** No connection (none was needed, or it closed when idle): the next send opens one. */
    DISCONNECTED,
    /** A connection is being opened. */
    CONNECTING,
    /** A connection is open and the friend has introduced itself. */
    CONNECTED,
    /**
     * No connection is open and the last attempt to open one failed (refused, timed out, or its
     * handshake failed); another follows while something waits to be sent.
     */
    UNREACHABLE
}
