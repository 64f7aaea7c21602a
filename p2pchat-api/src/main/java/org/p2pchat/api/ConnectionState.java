package org.p2pchat.api;

/** The state of a {@link Peer}'s connection to one friend, as {@link Peer#connectionState} reports it. */
public enum ConnectionState {
    /** No connection: the next send opens one. */
    DISCONNECTED,
    /** A connection is being opened. */
    CONNECTING,
    /** A connection is open and the friend has introduced itself. */
    CONNECTED
}
