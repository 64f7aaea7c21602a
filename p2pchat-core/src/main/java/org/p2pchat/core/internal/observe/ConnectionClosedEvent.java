package org.p2pchat.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A connection closed, with the reason the transport or the layer above gave. */
@Name("org.p2pchat.ConnectionClosed")
@Label("Connection Closed")
@Category("p2pchat")
@Description("A connection closed, during its handshake or after it, and why")
@StackTrace(false)
final class ConnectionClosedEvent extends ConnectionEvent {
    @Label("Peer")
    @Description("The name of the peer, if known: the one called, or the one that proved its key")
    String peer;

    @Label("Reason")
    @Description("ConnectionClosedException.Reason: LOCAL_CLOSE, REMOTE_CLOSE, IDLE_TIMEOUT, ...")
    String reason;

    @Label("Message")
    String message;

    @Label("Authenticated")
    @Description("Whether its handshake had completed")
    boolean authenticated;

    @Label("Lifetime")
    @Description("How long the connection was open")
    @Timespan(Timespan.NANOSECONDS)
    long lifetime;
}
