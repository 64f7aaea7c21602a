package org.p2pchat.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A handshake completed: both keys proven and trusted; its duration is the handshake's. */
@Name("org.p2pchat.HandshakeCompleted")
@Label("Handshake Completed")
@Category("p2pchat")
@Description("A Noise XX handshake completed and the peer was admitted; the event's duration is"
        + " the handshake's, from the connection's opening")
@StackTrace(false)
final class HandshakeCompletedEvent extends ConnectionEvent {
    @Label("Peer")
    @Description("The name the peer gave in its HELLO")
    String peer;

    @Label("Key")
    @Description("The fingerprint of the key the peer proved")
    String key;
}
