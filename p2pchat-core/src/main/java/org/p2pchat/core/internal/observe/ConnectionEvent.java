package org.p2pchat.core.internal.observe;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * What every connection event says of its connection, filled in by {@link ConnectionWatch} in
 * one place. Abstract, so JFR registers only the events that extend it.
 */
abstract class ConnectionEvent extends Event {
    @Label("Connection")
    @Description("The transport's id of the connection")
    long connection;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Initiator")
    @Description("Whether this peer opened the connection (else it responded)")
    boolean initiator;
}
