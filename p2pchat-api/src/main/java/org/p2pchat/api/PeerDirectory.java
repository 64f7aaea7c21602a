package org.p2pchat.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user_info table: who the friends are and where their peers listen.
 *
 * <p>A {@link Peer} looks a friend up here when it first sends to them. Implementations must be
 * safe to call from any thread and must not block; the one returned by {@link #of} is immutable.
 * {@code org.p2pchat.core.UserInfo} reads one from a file.
 */
public interface PeerDirectory {

    /**
     * Finds a friend by name.
     *
     * @param name the friend's name, compared exactly (case-sensitive)
     * @return the entry, or empty if the name is not in the table
     */
    Optional<PeerEntry> lookup(String name);

    /**
     * Returns every entry, in the table's order.
     *
     * @return an unmodifiable list
     */
    List<PeerEntry> entries();

    /**
     * Returns an immutable directory of the given entries.
     *
     * @param entries the entries, in order
     * @return the directory
     * @throws IllegalArgumentException if two entries have the same name
     */
    static PeerDirectory of(Collection<PeerEntry> entries) {
        Map<String, PeerEntry> byName = new LinkedHashMap<>();
        for (PeerEntry entry : entries) {
            if (byName.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("expected unique names, got '" + entry.name()
                        + "' twice");
            }
        }
        List<PeerEntry> ordered = List.copyOf(byName.values());
        return new PeerDirectory() {
            @Override
            public Optional<PeerEntry> lookup(String name) {
                return Optional.ofNullable(byName.get(name));
            }

            @Override
            public List<PeerEntry> entries() {
                return ordered;
            }

            @Override
            public String toString() {
                return "PeerDirectory" + ordered;
            }
        };
    }

    /**
     * Returns an immutable directory of the given entries.
     *
     * @param entries the entries, in order
     * @return the directory
     * @throws IllegalArgumentException if two entries have the same name
     */
    static PeerDirectory of(PeerEntry... entries) {
        return of(List.of(entries));
    }
}
