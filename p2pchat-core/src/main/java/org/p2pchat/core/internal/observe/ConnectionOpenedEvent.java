package org.p2pchat.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection opened, by either side; its handshake starts. */
@Name("org.p2pchat.ConnectionOpened")
@Label("Connection Opened")
@Category("p2pchat")
@Description("A connection opened, by this peer (initiator) or by the other side; its"
        + " handshake starts")
@StackTrace(false)
final class ConnectionOpenedEvent extends ConnectionEvent {
}
