package org.p2pchat.core.internal.observe;

/**
 * Times one link's window stalls: from the moment messages wait because what is in flight fills
 * the window the friend granted, until the next message goes out (or the connection carrying
 * them changes). Each stall is counted in the link's {@link LinkCounters}, and, when the Flight
 * Recorder records it at the stall's start, committed as an {@code org.p2pchat.WindowStall}
 * event. Not thread-safe: the link's lock guards it.
 */
public final class StallTimer {
    private boolean running;
    private long since;
    private WindowStallEvent event;

    /**
     * Tells whether a stall is under way.
     *
     * @return true between {@link #begin} and {@link #end}
     */
    public boolean running() {
        return running;
    }

    /**
     * Messages wait for the window from now on.
     *
     * @param now the node's ticker now
     * @param peer the friend's name
     * @param connection the id of the connection whose window is full
     * @param window the window granted there
     * @param inFlight what is in flight against it
     * @param waiting how many messages wait
     */
    public void begin(long now, String peer, long connection, long window, long inFlight,
            long waiting) {
        running = true;
        since = now;
        // One event a stall, not a message: made only while a recording wants it.
        WindowStallEvent e = new WindowStallEvent();
        if (e.isEnabled()) {
            e.peer = peer;
            e.connection = connection;
            e.window = window;
            e.inFlight = inFlight;
            e.waiting = waiting;
            e.begin();
            event = e;
        }
    }

    /**
     * The stall is over.
     *
     * @param now the node's ticker now
     * @param counters where the stall is counted
     */
    public void end(long now, LinkCounters counters) {
        if (!running) {
            return;
        }
        running = false;
        counters.stalled(now - since);
        WindowStallEvent e = event;
        event = null;
        if (e != null) {
            e.end();
            if (e.shouldCommit()) {
                e.commit();
            }
        }
    }
}
