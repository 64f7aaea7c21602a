package org.p2pchat.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.PeerAddress;
import org.slf4j.Logger;

/**
 * Logs refusals of hostile connections at most once a second, with a count: a flood of
 * connections must not become a flood of log lines. Thread-safe.
 */
final class RefusalLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log;
    private final String what;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    RefusalLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void refused(PeerAddress from) {
        refused(from, null);
    }

    /**
     * Counts a refusal, and logs it if none was logged in the last second.
     *
     * @param from where the refused connection came from
     * @param why the reason for this one, or null
     */
    void refused(PeerAddress from, String why) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            log.warn("{}: the latest from {}{}{}", what, from, why == null ? "" : ", " + why,
                    more == 0 ? "" : " (and " + more + " more in the last second or so)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
