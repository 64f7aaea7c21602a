package org.p2pchat.core.internal.runtime;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One kind of warning that a remote host can cause at will (a refused or malformed connection),
 * logged at most once a second with a count of the ones left out, so that a flood of connections
 * never becomes a flood of log lines. (The nio transport has its own copy: core and transports
 * share nothing but the SPI.) Thread-safe.
 */
public final class ThrottledLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    public ThrottledLog(Logger log) {
        this.log = log;
    }

    /**
     * Logs a warning unless one was logged in the last second; then it is only counted.
     *
     * @param format an SLF4J format
     * @param args its arguments
     */
    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            Object[] all = Arrays.copyOf(args, args.length + 1);
            all[args.length] = more == 0 ? "" : " (and " + more + " more like it since the last)";
            log.warn(format + "{}", all);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
