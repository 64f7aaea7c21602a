package org.p2pchat.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.spi.Ticker;

/** A {@link Ticker} that moves only when a test advances it. Thread-safe. */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * Moves time forward.
     *
     * @param by how far
     */
    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
