package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How {@code /peers} says when a peer was last heard from. */
class PeerListTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void lastSeenIsNeverJustNowOrHowLongAgoInItsLargestUnit() {
        assertEquals("never", PeerList.seen(null, NOW));
        assertEquals("just now", PeerList.seen(NOW.minusSeconds(4), NOW));
        assertEquals("just now", PeerList.seen(NOW.plusSeconds(1), NOW));
        assertEquals("42s ago", PeerList.seen(NOW.minusSeconds(42), NOW));
        assertEquals("5m ago", PeerList.seen(NOW.minusSeconds(5 * 60 + 59), NOW));
        assertEquals("3h ago", PeerList.seen(NOW.minusSeconds(3 * 3600 + 10), NOW));
        assertEquals("2d ago", PeerList.seen(NOW.minusSeconds(2 * 86400 + 5), NOW));
    }
}
