package org.p2pchat.core.internal.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.PeerAddress;

/**
 * What a peer remembers of the last few friends outside its directory (strangers) whose links it
 * forgot: the {@link Inflow} of what each sent, so that one that calls back and sends again what
 * it had no acknowledgement for is recognised and nothing is delivered twice; and where to call it
 * back, so that it can still be answered. The bound keeps strangers from growing it without limit;
 * the one forgotten longest ago goes first.
 *
 * <p>The call-back address is the one the stranger's connection came from, at the port its HELLO
 * says it listens on ({@link #callBackAddress}): never a host it merely claims, or a stranger could
 * make this peer connect anywhere. Whoever answers there must still prove, in the handshake, the
 * stranger's name and the key trusted for it.
 *
 * <p>Thread-safe.
 */
public final class Strangers {

    /** One stranger's record. */
    public record Remembered(String name, Inflow inflow, PeerAddress callBack) {
    }

    private final Map<Object, Remembered> recent;

    /**
     * Creates an empty memory.
     *
     * @param capacity how many strangers it remembers at most
     */
    public Strangers(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Remembered> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Returns where to call back a stranger that connected to this peer.
     *
     * @param source the remote address of its connection, as the transport reports it
     * @param claimed the listen address its HELLO names
     * @return the source host at the claimed port, or null if the claimed port is 0
     */
    public static PeerAddress callBackAddress(PeerAddress source, PeerAddress claimed) {
        return claimed.port() == 0 ? null : source.withPort(claimed.port());
    }

    /**
     * Remembers a stranger whose link is forgotten, as the newest.
     *
     * @param key its key (or, for a link whose key was never proven, its name)
     * @param name the name it goes by
     * @param inflow what it sent
     * @param callBack where to call it back, or null
     */
    public synchronized void keep(Object key, String name, Inflow inflow, PeerAddress callBack) {
        recent.remove(key);
        recent.put(key, new Remembered(name, inflow, callBack));
    }

    /** Returns and forgets what is remembered of a stranger, or null. */
    public synchronized Remembered take(Object key) {
        return recent.remove(key);
    }

    /**
     * Finds a remembered stranger by the name it goes by, with an address to call it back.
     *
     * @param name the name
     * @return its key, or null if none is remembered (the one remembered last if several)
     */
    public synchronized Object callable(String name) {
        Object found = null;
        for (Map.Entry<Object, Remembered> e : recent.entrySet()) {
            if (e.getValue().name().equals(name) && e.getValue().callBack() != null) {
                found = e.getKey();
            }
        }
        return found;
    }

    /** A snapshot of the strangers remembered, by key. */
    public synchronized Map<Object, Remembered> snapshot() {
        return new LinkedHashMap<>(recent);
    }
}
