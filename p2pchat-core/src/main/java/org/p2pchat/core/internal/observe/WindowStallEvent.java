package org.p2pchat.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** Messages waited because the friend's window was full; its duration is the wait's. */
@Name("org.p2pchat.WindowStall")
@Label("Window Stall")
@Category("p2pchat")
@Description("Messages waited to be sent because what was in flight filled the window the friend"
        + " granted (it reads slower than this peer sends); the duration is the wait's")
@StackTrace(false)
// Shorter waits are flow control doing its job; Peer.stats() counts them all.
@Threshold("1 ms")
final class WindowStallEvent extends Event {
    @Label("Peer")
    String peer;

    @Label("Connection")
    @Description("The transport's id of the connection")
    long connection;

    @Label("Window")
    @Description("The window the friend had granted, counted as the window counts")
    @DataAmount
    long window;

    @Label("In Flight")
    @Description("What was written and not acknowledged when the wait began")
    @DataAmount
    long inFlight;

    @Label("Waiting Messages")
    @Description("How many messages were waiting when the wait began")
    long waiting;
}
