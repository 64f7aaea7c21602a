package org.p2pchat.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;

/** A directory tests fill in after peers have bound their ephemeral ports. Thread-safe. */
final class MutableDirectory implements PeerDirectory {
    private final Map<String, PeerEntry> entries = new ConcurrentHashMap<>();

    MutableDirectory put(String name, PeerAddress address) {
        return put(name, address, null);
    }

    MutableDirectory put(String name, PeerAddress address, PeerKey pinned) {
        entries.put(name, new PeerEntry(name, address, pinned));
        return this;
    }

    @Override
    public Optional<PeerEntry> lookup(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    @Override
    public List<PeerEntry> entries() {
        return List.copyOf(new ArrayList<>(entries.values()));
    }
}
