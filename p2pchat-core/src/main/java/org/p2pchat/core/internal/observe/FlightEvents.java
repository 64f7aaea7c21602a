package org.p2pchat.core.internal.observe;

/**
 * The Flight Recorder events that are not about one connection's life or one stall: a helper
 * each, which builds nothing unless a recording wants the event. Stateless; any thread.
 */
public final class FlightEvents {
    private FlightEvents() {
    }

    /**
     * Messages a lost connection had carried unacknowledged went out again on a new one.
     *
     * @param peer the friend's name
     * @param connection the id of the new connection
     * @param messages how many
     */
    public static void resent(String peer, long connection, long messages) {
        ResendEvent e = new ResendEvent();
        if (e.shouldCommit()) {
            e.peer = peer;
            e.connection = connection;
            e.messages = messages;
            e.commit();
        }
    }
}
