package org.p2pchat.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Messages written before were written again on a new connection. */
@Name("org.p2pchat.Resend")
@Label("Resend")
@Category("p2pchat")
@Description("Messages a lost (or replaced) connection had carried without their acknowledgement"
        + " were written again on the next one; one event for all of them")
@StackTrace(false)
final class ResendEvent extends Event {
    @Label("Peer")
    String peer;

    @Label("Connection")
    @Description("The transport's id of the connection they went out on again")
    long connection;

    @Label("Messages")
    @Description("How many messages were written again")
    long messages;
}
