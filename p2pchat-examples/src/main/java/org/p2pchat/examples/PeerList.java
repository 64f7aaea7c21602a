package org.p2pchat.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.examples.console.Printable;

/**
 * The rows {@code /peers} prints: the user_info table (you first if you are not in it), then the
 * peers who wrote this session and are not in the table. Each row has the name, the address (or
 * {@code not in table}), the connection state ({@code listening (you)} on your own row) and the
 * key fingerprint, marked {@code pinned} (user_info) or {@code trusted} (first use), {@code -}
 * while unknown. Stateless apart from what it reads; any thread.
 */
final class PeerList {
    /** What the address column says for a peer that wrote but is not in the table. */
    static final String NOT_IN_TABLE = "not in table";

    private final Peer peer;
    private final Correspondents correspondents;

    private record Row(String name, String address, String state, String key) {
    }

    PeerList(Peer peer, Correspondents correspondents) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.correspondents = Objects.requireNonNull(correspondents, "correspondents");
    }

    /**
     * Renders the rows as they are now.
     *
     * @return the lines, columns aligned
     */
    List<String> lines() {
        List<Row> rows = new ArrayList<>();
        if (peer.directory().lookup(peer.name()).isEmpty()) {
            rows.add(self());
        }
        for (PeerEntry entry : peer.directory().entries()) {
            rows.add(entry.name().equals(peer.name()) ? self()
                    : new Row(entry.name(), entry.address().toString(), state(entry.name()),
                            entry.key() != null ? entry.key().fingerprint() + " pinned"
                                    : trusted(entry.name())));
        }
        for (String stranger : correspondents.notIn(peer.directory())) {
            if (!stranger.equals(peer.name())) {
                rows.add(new Row(Printable.of(stranger), NOT_IN_TABLE, state(stranger),
                        trusted(stranger)));
            }
        }
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(1);
        int addressWidth = rows.stream().mapToInt(r -> r.address().length()).max().orElse(1);
        int stateWidth = rows.stream().mapToInt(r -> r.state().length()).max().orElse(1);
        String format = "  %-" + nameWidth + "s  %-" + addressWidth + "s  %-" + stateWidth
                + "s  %s";
        return rows.stream().map(r -> String.format(Locale.ROOT, format, r.name(), r.address(),
                r.state(), r.key())).toList();
    }

    private Row self() {
        return new Row(peer.name(), peer.listenAddress().toString(), "listening (you)",
                peer.publicKey().fingerprint());
    }

    private String state(String name) {
        return peer.connectionState(name).name().toLowerCase(Locale.ROOT);
    }

    /** A key learnt on first use, or {@code -} while none is known. */
    private String trusted(String name) {
        return peer.peerKey(name).map(PeerKey::fingerprint).map(f -> f + " trusted").orElse("-");
    }
}
