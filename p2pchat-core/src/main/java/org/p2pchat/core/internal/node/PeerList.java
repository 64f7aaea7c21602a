package org.p2pchat.core.internal.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.KnownPeer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Strangers;
import org.p2pchat.core.internal.room.Rooms;
import org.p2pchat.core.internal.session.TrustStore;
import org.p2pchat.spi.Ticker;

/**
 * Builds {@link org.p2pchat.api.Peer#knownPeers()}: the directory's friends, the members of this
 * peer's rooms and the strangers that can be answered, each once, by key where the key is known.
 * A snapshot made on the caller's thread from the node's thread-safe parts.
 */
final class PeerList {
    private final PeerDirectory directory;
    private final TrustStore trust;
    private final Rooms rooms;
    private final Strangers strangers;
    private final Map<Object, FriendLink> links;
    private final Ticker ticker;

    PeerList(PeerDirectory directory, TrustStore trust, Rooms rooms, Strangers strangers,
            Map<Object, FriendLink> links, Ticker ticker) {
        this.directory = directory;
        this.trust = trust;
        this.rooms = rooms;
        this.strangers = strangers;
        this.links = links;
        this.ticker = ticker;
    }

    List<KnownPeer> list() {
        Map<Object, KnownPeer> out = new LinkedHashMap<>();
        Set<PeerKey> seen = new HashSet<>();
        for (PeerEntry e : directory.entries()) {
            Optional<PeerKey> key = trust.trustedKey(e.name());
            Object contact = key.isPresent() ? key.get() : e.name();
            key.ifPresent(seen::add);
            out.put(contact, peer(e.name(), key.orElse(null), e.address(),
                    KnownPeer.Source.DIRECTORY, links.get(contact)));
        }
        for (var r : rooms.rooms()) {
            for (var m : r.members()) {
                if (m.state() == org.p2pchat.api.MemberState.SELF || !seen.add(m.key())) {
                    continue;
                }
                out.put(m.key(), peer(m.name(), m.key(), m.address(), KnownPeer.Source.ROOM,
                        links.get(m.key())));
            }
        }
        for (Map.Entry<Object, FriendLink> e : links.entrySet()) {
            if (e.getKey() instanceof PeerKey k && seen.add(k)) {
                FriendLink l = e.getValue();
                out.put(k, peer(l.friend(), k, l.callBack(), KnownPeer.Source.STRANGER, l));
            }
        }
        for (Map.Entry<Object, Strangers.Remembered> e : strangers.snapshot().entrySet()) {
            if (e.getKey() instanceof PeerKey k && e.getValue().callBack() != null && seen.add(k)) {
                out.put(k, peer(e.getValue().name(), k, e.getValue().callBack(),
                        KnownPeer.Source.STRANGER, null));
            }
        }
        List<KnownPeer> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(KnownPeer::name));
        return List.copyOf(list);
    }

    private KnownPeer peer(String name, PeerKey key, PeerAddress address, KnownPeer.Source source,
            FriendLink link) {
        ConnectionState state = link == null ? ConnectionState.DISCONNECTED : link.state();
        if (link != null && state != ConnectionState.CONNECTED
                && link.connectionFailure() != null) {
            state = ConnectionState.UNREACHABLE;
        }
        Instant lastSeen = null;
        if (link != null && link.lastHeard() != Long.MIN_VALUE) {
            long agoNanos = ticker.nanoTime() - link.lastHeard();
            lastSeen = Instant.now().minusNanos(Math.max(0, agoNanos));
        }
        List<String> shared = key == null ? List.of() : rooms.roomsOf(key);
        return new KnownPeer(name, key, address, source, state, lastSeen, new HashSet<>(shared));
    }
}
