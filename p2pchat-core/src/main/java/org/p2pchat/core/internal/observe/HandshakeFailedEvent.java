package org.p2pchat.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection closed before its handshake completed; its duration is the attempt's. */
@Name("org.p2pchat.HandshakeFailed")
@Label("Handshake Failed")
@Category("p2pchat")
@Description("A connection closed before its handshake completed (key refused, timeout,"
        + " protocol error, limits); the event's duration is from the connection's opening")
@StackTrace(false)
final class HandshakeFailedEvent extends ConnectionEvent {
    @Label("Peer")
    @Description("The name of the peer called, if this peer called one")
    String peer;

    @Label("Reason")
    @Description("ConnectionClosedException.Reason of the close")
    String reason;

    @Label("Message")
    String message;

    @Label("Step")
    @Description("What the handshake was waiting for. A responder closed in AWAIT_HANDSHAKE_3 by"
            + " its opener may also have met a friend checking its key at its listed address,"
            + " which stops after message 2 by design")
    String step;
}
