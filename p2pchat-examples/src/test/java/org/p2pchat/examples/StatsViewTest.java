package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.FriendStats;
import org.p2pchat.api.LinkStats;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerStats;
import org.p2pchat.testkit.Await;

/** What {@code /stats} prints: a summary line, then the total and one row per friend. */
class StatsViewTest {
    private static final LinkStats BOB = new LinkStats(
            new LinkStats.Messages(12, 1300, 2, 12, 3, 40),
            new LinkStats.Frames(5, 3, 3, 6),
            new LinkStats.AckDelay(6, Duration.ofNanos(420_000), Duration.ofNanos(500_000),
                    Duration.ofNanos(610_000)),
            new LinkStats.Outbox(1, 64, 4 << 20),
            new LinkStats.Window(1, 64, 1 << 20, 2, Duration.ofMillis(12).plusNanos(500_000)),
            new LinkStats.Connections(1, 3, Map.of(Reason.IO_ERROR, 1L, Reason.IDLE_TIMEOUT, 1L)));
    private static final LinkStats CAROL = new LinkStats(
            new LinkStats.Messages(0, 0, 0, 0, 0, 0),
            new LinkStats.Frames(0, 0, 0, 0),
            new LinkStats.AckDelay(0, Duration.ZERO, Duration.ZERO, Duration.ZERO),
            new LinkStats.Outbox(0, 0, 4 << 20),
            new LinkStats.Window(0, 0, 0, 0, Duration.ZERO),
            new LinkStats.Connections(0, 0, Map.of()));

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void leave() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @Test
    void theTotalComesFirstThenOneAlignedRowPerFriend() {
        LinkStats total = new LinkStats(BOB.messages(), BOB.frames(), BOB.ackDelay(),
                new LinkStats.Outbox(1, 64, 8 << 20), BOB.window(), BOB.connections());
        PeerStats stats = new PeerStats(Instant.parse("2024-05-01T12:00:07Z"),
                Duration.ofSeconds(5 * 60 + 12), total, 1,
                List.of(new FriendStats("bob", null, BOB), new FriendStats("carol", null, CAROL)));

        List<String> lines = StatsView.lines(stats, ZoneOffset.UTC);
        assertEquals(List.of(
                "  at 12:00:07, up 5m 12s; handshakes failed: 1",
                "  peer   sent          received  resent  acked  ack delay (mean)",
                "  total  12 (1.3 KiB)  3 (40 B)  2       12     0.42 ms (0.61 ms)",
                "  bob    12 (1.3 KiB)  3 (40 B)  2       12     0.42 ms (0.61 ms)",
                "  carol  0 (0 B)       0 (0 B)   0       0      -",
                "  peer   data out/in  acks out/in  outbox / limit      in flight / window",
                "  total  5/3          3/6          1 (64 B) / 8.0 MiB  64 B / 1.0 MiB",
                "  bob    5/3          3/6          1 (64 B) / 4.0 MiB  64 B / 1.0 MiB",
                "  carol  0/0          0/0          0 (0 B) / 4.0 MiB   0 B / 0 B",
                "  peer   open/opened  window stalls  closed, by reason",
                "  total  1/3          2 (12.5 ms)    idle-timeout 1, io-error 1",
                "  bob    1/3          2 (12.5 ms)    idle-timeout 1, io-error 1",
                "  carol  0/0          0              -"),
                lines);
        for (String line : lines) {
            assertTrue(line.length() <= 80, "fits 80 columns: " + line);
        }
    }

    @Test
    void sizesDelaysAndUptimesAreShownInTheirLargestUnit() {
        assertEquals("0 B", StatsView.bytes(0));
        assertEquals("1023 B", StatsView.bytes(1023));
        assertEquals("1.0 KiB", StatsView.bytes(1024));
        assertEquals("1.5 MiB", StatsView.bytes(3 << 19));
        assertEquals("0.05 ms", StatsView.delay(Duration.ofNanos(50_000)));
        assertEquals("12.3 ms", StatsView.delay(Duration.ofMillis(12).plusNanos(340_000)));
        assertEquals("1.25 s", StatsView.delay(Duration.ofMillis(1250)));
        assertEquals("42s", StatsView.uptime(Duration.ofSeconds(42)));
        assertEquals("3h 05m", StatsView.uptime(Duration.ofMinutes(185)));
        assertEquals("2d 4h", StatsView.uptime(Duration.ofHours(52)));
    }

    @Test
    void theStatsCommandShowsWhatWasSentToAFriend() {
        int[] ports = FreePorts.pick(2);
        PeerDirectory table = PeerDirectory.of(
                new PeerEntry("alice", PeerAddress.loopback(ports[0])),
                new PeerEntry("bob", PeerAddress.loopback(ports[1])));
        SessionChat alice = SessionChat.start("alice", table, b -> b);
        started.add(alice);
        SessionChat bob = SessionChat.start("bob", table, b -> b);
        started.add(bob);

        alice.type("bob/hello");
        bob.stdout.awaitLine("[alice] hello");
        Await.until("bob's acknowledgement", () -> alice.peer.stats().total().messages()
                .acknowledged() == 1);
        alice.type("/stats");
        String row = alice.stdout.awaitLine("bob's row", l -> l.startsWith("  bob "));
        assertTrue(row.matches("  bob\\s+1 \\(5 B\\)\\s+0 \\(0 B\\)\\s+0\\s+1"
                + "\\s+\\d+\\.\\d+ m?s \\(\\d+\\.\\d+ m?s\\)"), row);
        String flow = alice.stdout.awaitLine("bob's flow", l -> l.startsWith("  bob ")
                && l.contains("/ 4.0 MiB"));
        assertTrue(flow.matches("  bob\\s+1/0\\s+\\d+/\\d+\\s+0 \\(0 B\\) / \\S+ \\S+\\s+0 B / .+"),
                flow);
        // One open, one opened, no stall, none closed.
        alice.stdout.awaitLine("bob's connections", l -> l.matches("  bob\\s+1/1\\s+0\\s+-"));
        List<String> lines = alice.stdout.lines();
        int at = lines.indexOf(row);
        assertTrue(lines.get(at - 1).startsWith("  total  1 (5 B)"), lines.toString());
        assertTrue(lines.get(at - 2).startsWith("  peer   sent"), lines.toString());
    }
}
