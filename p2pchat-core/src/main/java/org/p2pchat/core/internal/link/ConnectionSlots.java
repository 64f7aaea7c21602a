package org.p2pchat.core.internal.link;

import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.core.internal.delivery.LinkSession;

/**
 * The places for authenticated connections, {@code maxConnections} of them, kept so that no
 * stranger can lock a friend out (as libp2p's connection manager protects its peers):
 *
 * <ul>
 *   <li>strangers (callers the directory does not list) hold at most half of them, and at most
 *       {@value #PER_SOURCE} from one source (an IPv4 address, an IPv6 /64); beyond that a
 *       stranger is refused as busy, and retries later;
 *   <li>a friend (a listed caller, or a connection this peer opened) always gets a place: when
 *       all are taken, the stranger's connection heard from longest ago is closed for it.
 * </ul>
 *
 * <p>The transport's own cap sits above this one, leaving room for connections still in their
 * handshake. Thread-safe.
 */
public final class ConnectionSlots {
    /** The most connections of strangers from one source. */
    static final int PER_SOURCE = 4;

    private record Holder(boolean stranger, String source) {
    }

    private final int max;
    private final Map<LinkSession, Holder> open = new LinkedHashMap<>();
    private int strangers;
    private final Map<String, Integer> perSource = new java.util.HashMap<>();

    /**
     * Creates the places.
     *
     * @param max how many authenticated connections may be open at once
     */
    public ConnectionSlots(int max) {
        this.max = max;
    }

    /**
     * Takes a place for a stranger's connection.
     *
     * @param session the connection
     * @param host the IP address it comes from
     * @return null if it has a place now, else why not (for the busy refusal)
     */
    synchronized String claimForStranger(LinkSession session, String host) {
        String source = HandshakeAdmission.sourceOf(host);
        if (perSource.getOrDefault(source, 0) >= PER_SOURCE) {
            return "too many connections from your address";
        }
        if (strangers >= max / 2 || open.size() >= max) {
            return "connection limit reached (p2pchat.maxConnections)";
        }
        open.put(session, new Holder(true, source));
        strangers++;
        perSource.merge(source, 1, Integer::sum);
        return null;
    }

    /**
     * Takes a place for a friend's connection, closing a stranger's if all are taken.
     *
     * @param session the connection
     */
    void claimForFriend(LinkSession session) {
        LinkSession evicted = null;
        synchronized (this) {
            if (open.size() >= max) {
                evicted = quietestStranger();
            }
            open.put(session, new Holder(false, null));
        }
        if (evicted != null) {
            evicted.connection().abort(new ConnectionClosedException(Reason.CONNECTION_LIMIT,
                    "closed to make room for a friend (p2pchat.maxConnections)"));
        }
    }

    /** Lock held: the stranger's connection heard from longest ago, or null. */
    private LinkSession quietestStranger() {
        LinkSession quietest = null;
        for (Map.Entry<LinkSession, Holder> e : open.entrySet()) {
            if (e.getValue().stranger() && (quietest == null
                    || e.getKey().lastHeard() - quietest.lastHeard() < 0)) {
                quietest = e.getKey();
            }
        }
        return quietest;
    }

    /**
     * Frees a connection's place, if it had one.
     *
     * @param session the connection that closed
     */
    public synchronized void release(LinkSession session) {
        Holder h = open.remove(session);
        if (h != null && h.stranger()) {
            strangers--;
            perSource.computeIfPresent(h.source(), (s, n) -> n == 1 ? null : n - 1);
        }
    }

    /** For tests and diagnostics: places taken, by strangers and in all. */
    synchronized int[] taken() {
        return new int[] {strangers, open.size()};
    }
}
