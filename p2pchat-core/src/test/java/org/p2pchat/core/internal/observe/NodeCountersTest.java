package org.p2pchat.core.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.LinkStats;
import org.p2pchat.api.PeerStats;
import org.p2pchat.testkit.ManualTicker;

/** How a node sums its links' counters into its total, forgotten links included. */
class NodeCountersTest {
    private static final long MS = 1_000_000;

    private final ManualTicker ticker = new ManualTicker();
    private final NodeCounters node = new NodeCounters(ticker);

    private static LinkSample sample(LinkCounters c) {
        return new LinkSample(c.read(), Gauges.ZERO);
    }

    @Test
    void theTotalAddsCountsAndShowsTheLatestAndSmoothedDelayOfTheLinkSampledLast() {
        LinkCounters bob = new LinkCounters();
        LinkCounters carol = new LinkCounters();
        bob.sent(3, 30, 1);
        bob.acknowledged(3, 2 * MS, ticker.nanoTime());
        ticker.advance(Duration.ofMillis(1));
        carol.sent(1, 5, 0);
        carol.acknowledged(1, 10 * MS, ticker.nanoTime());
        bob.closed(Reason.IO_ERROR);
        carol.closed(Reason.IO_ERROR);
        carol.closed(Reason.IDLE_TIMEOUT);

        PeerStats stats = node.report(List.of(new FriendSample("bob", null, sample(bob)),
                new FriendSample("carol", null, sample(carol))));

        LinkStats total = stats.total();
        assertEquals(new LinkStats.Messages(4, 35, 1, 4, 0, 0), total.messages());
        assertEquals(new LinkStats.AckDelay(2, Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofMillis(6)), total.ackDelay(), "carol's ACK came last");
        assertEquals(Map.of(Reason.IO_ERROR, 2L, Reason.IDLE_TIMEOUT, 1L),
                total.connections().closed());
        assertEquals(List.of("bob", "carol"), stats.friends().stream().map(f -> f.name()).toList());
        assertEquals(Duration.ofMillis(1), stats.uptime());
    }

    @Test
    void aForgottenLinkStaysInTheTotalOnceHoweverOftenItIsForgotten() {
        LinkCounters gone = new LinkCounters();
        gone.received(7);
        gone.opened();
        node.forgot(gone);
        node.forgot(gone);
        LinkCounters here = new LinkCounters();
        here.received(3);

        PeerStats stats = node.report(List.of(new FriendSample("bob", null, sample(here))));

        assertEquals(new LinkStats.Messages(0, 0, 0, 0, 2, 10), stats.total().messages());
        assertEquals(1, stats.total().connections().opened());
        assertEquals(1, stats.friends().size());
    }
}
