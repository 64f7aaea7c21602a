package org.p2pchat.core.internal.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;

/**
 * The connections of one {@link FriendLink}: the current one, which its messages go out on, the
 * other open ones (spares), and where the friend can be called back. A connection added while
 * another carries messages waits as a spare, unless the two settle a simultaneous open or the new
 * one comes from a restarted friend; when the current one closes, an open spare takes its place.
 * Whenever the current connection changes, the link hears of it, so that its messages go out on
 * the new one from the first unacknowledged.
 *
 * <p>Guarded by the link's lock: the link calls every method with it held, except {@link
 * #connected}, which any thread may call. What must be done without the lock (a PING, closing
 * or aborting a connection) is left in {@link Changes}.
 */
final class LinkConnections {
    private final Consumer<LinkSession> carryOn;

    /** Written under the lock; volatile so that {@link #connected} reads it without. */
    private volatile LinkSession current;
    /** The latest {@link LinkSession#lastHeard} of the connections that closed. */
    private long lastHeardClosed = Long.MIN_VALUE;
    private final List<LinkSession> spares = new ArrayList<>(1);
    /**
     * Where a friend the directory does not list (a stranger) can be called back: the address
     * its latest accepted connection came from, at the port its HELLO names; or null.
     */
    private PeerAddress callBack;

    /**
     * Creates the connections of one link, none yet.
     *
     * @param carryOn told, with the lock held, of each new current connection, or of none
     *     (null) when the current one closed with no spare to take over
     * @param callBack where to call the friend if the directory does not list it, or null
     */
    LinkConnections(Consumer<LinkSession> carryOn, PeerAddress callBack) {
        this.carryOn = carryOn;
        this.callBack = callBack;
    }

    /** The connection messages go out on, open or not; null if there is none. */
    LinkSession current() {
        return current;
    }

    /**
     * Whether the current connection is open; takes no lock, so any thread may ask while
     * holding locks of its own.
     *
     * @return true if it is open
     */
    boolean connected() {
        LinkSession c = current;
        return c != null && c.isOpen();
    }

    /** Whether the link holds no connection at all, open or closing. */
    boolean none() {
        return current == null && spares.isEmpty();
    }

    /**
     * Adds an authenticated connection. It carries messages when there is no other open one. A
     * connection from a restarted friend replaces those of its old process.
     *
     * @param session the connection
     * @param restarted whether its process is one of the friend this link had not heard from
     *     (its inflow saw a new epoch)
     * @param changes receives what to do once the lock is let go
     */
    void add(LinkSession session, boolean restarted, Changes changes) {
        if (restarted) {
            if (current != null && current.remoteEpoch() != session.remoteEpoch()) {
                changes.stale.add(current);
            }
            for (LinkSession s : spares) {
                if (s.remoteEpoch() != session.remoteEpoch()) {
                    changes.stale.add(s);
                }
            }
        }
        if (current == null || !current.isOpen() || changes.stale.contains(current)) {
            makeCurrent(session);
        } else if (current != session) {
            spares.add(session);
        }
        LinkSession[] pair = simultaneousOpen(session);
        LinkSession retire = pair == null ? null : pair[0];
        if (retire != null && retire == current) {
            // Both sides keep the same one of the two: carry messages on it from now on
            // (what was in flight on the other goes again there; the friend drops copies).
            makeCurrent(pair[1]);
            if (pair[1] != session) {
                // Its window was granted before it carried messages: ask for a fresh one.
                changes.probe = pair[1];
            }
        }
        if (retire != null) {
            spares.remove(retire);
        }
        changes.retire = retire;
    }

    /**
     * When two connections to the same process of the friend are open, one opened by each side
     * (a simultaneous open, common when a room's members all connect to each other), the one to
     * close: both sides keep the one whose opener has the smaller key, so they settle on the
     * same connection without a word.
     *
     * @return {@code {toClose, toKeep}}, or null if there is nothing to settle
     */
    private LinkSession[] simultaneousOpen(LinkSession added) {
        List<LinkSession> open = new ArrayList<>(1 + spares.size());
        if (current != null && current.isOpen()) {
            open.add(current);
        }
        for (LinkSession s : spares) {
            if (s.isOpen()) {
                open.add(s);
            }
        }
        for (LinkSession other : open) {
            if (other != added && other.remoteEpoch() == added.remoteEpoch()
                    && other.kept() != added.kept()) {
                return added.kept() ? new LinkSession[] {other, added}
                        : new LinkSession[] {added, other};
            }
        }
        return null;
    }

    private void makeCurrent(LinkSession session) {
        spares.remove(session);
        current = session;
        carryOn.accept(session);
    }

    /**
     * Forgets a closed connection.
     *
     * @param session the connection
     * @return true if it was the current one: messages have no connection now
     */
    boolean remove(LinkSession session) {
        spares.remove(session);
        lastHeardClosed = later(lastHeardClosed, session.lastHeard());
        if (current != session) {
            return false;
        }
        current = null;
        carryOn.accept(null);
        return true;
    }

    /**
     * After the current connection closed, an open spare, if any, carries messages from now on.
     *
     * @return that spare, whose window was granted long ago (a PING asks for a fresh one); or
     *     null if none is open
     */
    LinkSession promoteSpare() {
        LinkSession promoted = null;
        while (!spares.isEmpty() && current == null) {
            LinkSession spare = spares.remove(0);
            if (spare.isOpen()) {
                makeCurrent(spare);
                promoted = spare;
            }
        }
        return promoted;
    }

    /** How many of the connections are open. */
    int open() {
        int n = current != null && current.isOpen() ? 1 : 0;
        for (LinkSession c : spares) {
            n += c.isOpen() ? 1 : 0;
        }
        return n;
    }

    /**
     * When a frame from the peer last arrived, on the node's ticker, on any connection so far.
     *
     * @return the time, or {@link Long#MIN_VALUE} if nothing ever arrived
     */
    long lastHeard() {
        long latest = lastHeardClosed;
        if (current != null) {
            latest = later(latest, current.lastHeard());
        }
        for (LinkSession s : spares) {
            latest = later(latest, s.lastHeard());
        }
        return latest;
    }

    private static long later(long a, long b) {
        return a == Long.MIN_VALUE ? b : b - a > 0 ? b : a;
    }

    /**
     * Records where the friend can be called back.
     *
     * @param address the address, or null if there is none to call (the one known stays)
     */
    void callBackAt(PeerAddress address) {
        if (address != null) {
            callBack = address;
        }
    }

    /** Where the friend can be called back if the directory does not list it, or null. */
    PeerAddress callBack() {
        return callBack;
    }

    /**
     * What adding a connection leaves to do once the link's lock is let go: asking the one that
     * took over for a fresh window, closing the one a simultaneous open retired, aborting those of
     * the friend's old process. Made by the caller of {@link #add}, one per call.
     */
    static final class Changes {
        private final List<LinkSession> stale = new ArrayList<>();
        private LinkSession retire;
        private LinkSession probe;

        /**
         * Does it; no lock held.
         *
         * @param friend the friend's name, for the reason the stale connections close
         */
        void carryOut(String friend) {
            if (probe != null) {
                Transmitter.ping(probe);
            }
            if (retire != null) {
                // Closed, not aborted: what it has queued is still written before it goes.
                retire.connection().close();
            }
            for (LinkSession s : stale) {
                s.connection().abort(new ConnectionClosedException(Reason.LOCAL_CLOSE,
                        friend + " restarted; closing the connection to its old process"));
            }
        }
    }
}
