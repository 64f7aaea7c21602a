package org.p2pchat.spi;

/**
 * A source of monotonic time, injected so that tests can advance time instead of sleeping.
 *
 * <p>Transports read it on their event-loop thread to decide idle closes and connect timeouts;
 * implementations must be thread-safe and must never go backwards.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Returns the current time in nanoseconds, with an arbitrary origin.
     *
     * @return nanoseconds; only differences between two readings are meaningful
     */
    long nanoTime();

    /**
     * Returns the system's monotonic clock ({@link System#nanoTime()}).
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
