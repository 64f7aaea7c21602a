package org.p2pchat.core.internal.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.p2pchat.api.FriendStats;
import org.p2pchat.api.PeerStats;
import org.p2pchat.spi.Ticker;

/**
 * A node's own counters, and its snapshot: when it started, the handshakes that failed, and what
 * the links it forgot had counted, which its total keeps. Thread-safe.
 */
public final class NodeCounters {
    private static final Comparator<FriendStats> BY_NAME = Comparator
            .comparing(FriendStats::name)
            .thenComparing(f -> f.key() == null ? "" : f.key().fingerprint());

    private final Ticker ticker;
    private final long started;
    private final LongAdder handshakesFailed = new LongAdder();
    /** The counts of the links forgotten so far; guarded by this object's lock. */
    private Counts forgotten = Counts.ZERO;

    /**
     * Starts counting.
     *
     * @param ticker the node's clock, which its uptime is measured with
     */
    public NodeCounters(Ticker ticker) {
        this.ticker = ticker;
        this.started = ticker.nanoTime();
    }

    /** A connection closed before its handshake completed. Any thread. */
    public void handshakeFailed() {
        handshakesFailed.increment();
    }

    /**
     * The node forgot a link: its counts go on in the total, once however often this is called.
     *
     * @param counters the link's counters
     */
    public void forgot(LinkCounters counters) {
        if (counters.retire()) {
            Counts last = counters.read();
            synchronized (this) {
                forgotten = forgotten.plus(last);
            }
        }
    }

    /**
     * Makes the snapshot of the links' samples, with their total.
     *
     * @param friends a sample of every link the node has, each once
     * @return the snapshot
     */
    public PeerStats report(List<FriendSample> friends) {
        LinkSample total;
        synchronized (this) {
            total = new LinkSample(forgotten, Gauges.ZERO);
        }
        List<FriendStats> lines = new ArrayList<>(friends.size());
        for (FriendSample f : friends) {
            total = total.plus(f.sample());
            lines.add(new FriendStats(f.name(), f.key(), f.sample().stats()));
        }
        lines.sort(BY_NAME);
        return new PeerStats(Instant.now(), Duration.ofNanos(ticker.nanoTime() - started),
                total.stats(), handshakesFailed.sum(), lines);
    }
}
