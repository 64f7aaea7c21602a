package org.p2pchat.examples;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.FriendStats;
import org.p2pchat.api.LinkStats;
import org.p2pchat.api.PeerStats;
import org.p2pchat.examples.console.Printable;

/**
 * The lines {@code /stats} prints from a {@link PeerStats} snapshot: when it was taken and how
 * long the peer has run, then three tables narrow enough for an 80-column terminal, each with the
 * total first and one row per friend: messages (sent and received with their bytes, resent,
 * acknowledged, the latest and mean acknowledgement delay); frames and flow (DATA and ACK frames
 * each way, the outbox against its limit, what is in flight against the window the friend
 * granted); connections (open, opened, window stalls, closed by reason). Stateless; any thread.
 */
final class StatsView {
    private static final List<String> MESSAGES = List.of("peer", "sent", "received", "resent",
            "acked", "ack delay (mean)");
    private static final List<String> FLOW = List.of("peer", "data out/in", "acks out/in",
            "outbox / limit", "in flight / window");
    private static final List<String> CONNECTIONS = List.of("peer", "open/opened",
            "window stalls", "closed, by reason");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss",
            Locale.ROOT);

    private StatsView() {
    }

    /**
     * Renders a snapshot.
     *
     * @param stats the snapshot
     * @param zone the time zone to show when it was taken in
     * @return the lines: a summary, then the three tables with their headers, columns aligned
     */
    static List<String> lines(PeerStats stats, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add("  at " + TIME.format(stats.takenAt().atZone(zone)) + ", up "
                + uptime(stats.uptime()) + "; handshakes failed: " + stats.handshakesFailed());
        table(lines, MESSAGES, stats, StatsView::messages);
        table(lines, FLOW, stats, StatsView::flow);
        table(lines, CONNECTIONS, stats, StatsView::connections);
        return lines;
    }

    private static void table(List<String> lines, List<String> header, PeerStats stats,
            java.util.function.Function<LinkStats, List<String>> columns) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        rows.add(withName("total", columns.apply(stats.total())));
        for (FriendStats f : stats.friends()) {
            rows.add(withName(Printable.of(f.name()), columns.apply(f.stats())));
        }
        int[] widths = new int[header.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append("  ").append(r.get(i)).append(" ".repeat(widths[i] - r.get(i).length()));
            }
            lines.add(line.toString().stripTrailing());
        }
    }

    private static List<String> withName(String name, List<String> cells) {
        List<String> row = new ArrayList<>(cells.size() + 1);
        row.add(name);
        row.addAll(cells);
        return row;
    }

    private static List<String> messages(LinkStats s) {
        LinkStats.Messages m = s.messages();
        LinkStats.AckDelay d = s.ackDelay();
        return List.of(
                m.sent() + " (" + bytes(m.sentBytes()) + ")",
                m.received() + " (" + bytes(m.receivedBytes()) + ")",
                Long.toString(m.resent()),
                Long.toString(m.acknowledged()),
                d.samples() == 0 ? "-" : delay(d.last()) + " (" + delay(d.mean()) + ")");
    }

    private static List<String> flow(LinkStats s) {
        LinkStats.Frames f = s.frames();
        LinkStats.Window w = s.window();
        return List.of(
                f.dataSent() + "/" + f.dataReceived(),
                f.acksSent() + "/" + f.acksReceived(),
                s.outbox().messages() + " (" + bytes(s.outbox().bytes()) + ") / "
                        + bytes(s.outbox().limitBytes()),
                bytes(w.inFlightBytes()) + " / " + bytes(w.grantedBytes()));
    }

    private static List<String> connections(LinkStats s) {
        LinkStats.Window w = s.window();
        return List.of(s.connections().open() + "/" + s.connections().opened(),
                w.stalls() == 0 ? "0" : w.stalls() + " (" + delay(w.stalledTime()) + ")",
                closed(s.connections().closed()));
    }

    /** {@code 0 B}, {@code 532 B}, {@code 56.2 KiB}, {@code 4.0 MiB}, {@code 1.5 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 0.42 ms} below 10 ms, {@code 12.3 ms} below a second, then {@code 1.25 s}. */
    static String delay(Duration d) {
        double ms = d.toNanos() / 1e6;
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    /** {@code 42s}, {@code 5m 12s}, {@code 3h 05m}, {@code 2d 4h}. */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }

    /** {@code idle-timeout 2, io-error 1}, or {@code -} when none closed. */
    private static String closed(Map<ConnectionClosedException.Reason, Long> closed) {
        if (closed.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        closed.forEach((reason, n) -> parts.add(
                reason.name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + n));
        return String.join(", ", parts);
    }
}
