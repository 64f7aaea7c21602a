package org.p2pchat.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link Inflow}s of the last few friends outside the directory whose links were forgotten.
 * A friend that calls back and sends again what it had no acknowledgement for is then recognised,
 * and nothing is delivered twice; the bound keeps strangers from growing it without limit.
 * Thread-safe.
 */
final class RecentInflows {
    private final Map<String, Inflow> recent;

    RecentInflows(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Inflow> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void keep(String friend, Inflow inflow) {
        recent.put(friend, inflow);
    }

    /** Returns and forgets the friend's inflow, or null. */
    synchronized Inflow take(String friend) {
        return recent.remove(friend);
    }
}
