package org.p2pchat.examples;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.p2pchat.api.KnownPeer;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.examples.console.Printable;

/**
 * The rows {@code /peers} prints: you first, then every peer the library knows
 * ({@link Peer#knownPeers()}): the user_info table's friends, the members of your rooms and the
 * strangers who called and can be answered. Each row has the name, the address ({@code -} when
 * nowhere is known), where it is known from ({@code table}, {@code room}, {@code stranger}, or
 * {@code table+room} for a friend whose room membership the library lists apart), the
 * connection state ({@code connected}, {@code connecting}, {@code idle} when no connection is
 * open, {@code unreachable} when the last attempt failed), when it was last heard from, the key
 * fingerprint, marked {@code pinned} (user_info) or {@code trusted} (learnt), {@code -} while
 * unknown, and the rooms shared. Stateless apart from what it reads; any thread.
 */
final class PeerList {
    private static final Row HEADER = new Row("name", "address", "from", "state", "last seen",
            "key", "rooms");

    private final Peer peer;
    private final Supplier<Instant> clock;

    private record Row(String name, String address, String source, String state, String seen,
            String key, String rooms) {
    }

    PeerList(Peer peer) {
        this(peer, Instant::now);
    }

    PeerList(Peer peer, Supplier<Instant> clock) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Renders the rows as they are now.
     *
     * @return the lines, columns aligned, a header first
     */
    List<String> lines() {
        Instant now = clock.get();
        List<Row> rows = new ArrayList<>();
        rows.add(HEADER);
        TreeSet<String> myRooms = new TreeSet<>();
        peer.rooms().forEach(r -> myRooms.add("#" + r.name()));
        rows.add(new Row(peer.name(), peer.listenAddress().toString(), "you", "listening",
                "-", peer.publicKey().fingerprint(), rooms(myRooms)));
        List<KnownPeer> known = peer.knownPeers();
        for (KnownPeer k : known) {
            if (k.source() == KnownPeer.Source.DIRECTORY && k.name().equals(peer.name())
                    || sameAsAMember(k, known)) {
                continue;
            }
            rows.add(row(k, now, known));
        }
        String format = "  " + column(rows, Row::name) + "  " + column(rows, Row::address) + "  "
                + column(rows, Row::source) + "  " + column(rows, Row::state) + "  "
                + column(rows, Row::seen) + "  " + column(rows, Row::key) + "  %s";
        return rows.stream().map(r -> String.format(Locale.ROOT, format, r.name(), r.address(),
                r.source(), r.state(), r.seen(), r.key(), r.rooms()).stripTrailing()).toList();
    }

    /**
     * Whether a table friend whose key is not known yet is the room member of that name at that
     * address: a room joined through the friend's address reached it without binding its name in
     * the table to its key, so the library lists both. The friend is shown once, as the member
     * (its key pinned nowhere, its table entry with no key of its own).
     */
    private static boolean sameAsAMember(KnownPeer friend, List<KnownPeer> known) {
        return friend.source() == KnownPeer.Source.DIRECTORY && friend.key() == null
                && member(friend, known) != null;
    }

    private static KnownPeer member(KnownPeer friend, List<KnownPeer> known) {
        for (KnownPeer k : known) {
            if (k.source() == KnownPeer.Source.ROOM && k.name().equals(friend.name())
                    && k.address() != null && k.address().equals(friend.address())) {
                return k;
            }
        }
        return null;
    }

    private Row row(KnownPeer known, Instant now, List<KnownPeer> all) {
        boolean pinned = known.source() == KnownPeer.Source.DIRECTORY && peer.directory()
                .lookup(known.name()).map(PeerEntry::key).filter(k -> k.equals(known.key()))
                .isPresent();
        String key = known.fingerprint().map(f -> f + (pinned ? " pinned" : " trusted"))
                .orElse("-");
        TreeSet<String> shared = new TreeSet<>();
        known.rooms().forEach(r -> shared.add("#" + Printable.of(r)));
        return new Row(Printable.of(known.name()),
                known.address() == null ? "-" : known.address().toString(),
                known.source() == KnownPeer.Source.ROOM && all.stream().anyMatch(k ->
                        sameAsAMember(k, all) && k.name().equals(known.name())) ? "table+room"
                        : source(known.source()), state(known), seen(known.lastSeen(), now), key,
                rooms(shared));
    }

    private static String column(List<Row> rows, Function<Row, String> field) {
        int width = rows.stream().mapToInt(r -> field.apply(r).length()).max().orElse(1);
        return "%-" + width + "s";
    }

    private static String rooms(TreeSet<String> rooms) {
        return rooms.isEmpty() ? "-" : String.join(" ", rooms);
    }

    private static String source(KnownPeer.Source source) {
        switch (source) {
            case DIRECTORY:
                return "table";
            case ROOM:
                return "room";
            default:
                return "stranger";
        }
    }

    private static String state(KnownPeer known) {
        switch (known.state()) {
            case CONNECTED:
                return "connected";
            case CONNECTING:
                return "connecting";
            case UNREACHABLE:
                return "unreachable";
            default:
                return "idle";
        }
    }

    /** {@code never}, {@code just now}, {@code 42s ago}, {@code 5m ago}, {@code 3h ago}, ... */
    static String seen(Instant lastSeen, Instant now) {
        if (lastSeen == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(lastSeen, now).toSeconds());
        if (seconds < 5) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + "s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m ago";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h ago";
        }
        return seconds / 86400 + "d ago";
    }
}
