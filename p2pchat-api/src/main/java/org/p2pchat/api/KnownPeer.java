package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A peer this peer knows of, as {@link Peer#knownPeers()} lists them: a friend from the
 * directory, a member of one of its rooms, or a stranger that called. An immutable snapshot.
 *
 * @param name the name it goes by: the directory's name for a friend, else its name in a room,
 *     else the name it introduced itself with
 * @param key its key, or null for a friend in the directory whose key is not known yet (not
 *     pinned, never connected)
 * @param address where it listens, or null if nowhere is known to call it
 * @param source where this peer knows it from
 * @param state the connection to it now
 * @param lastSeen when a frame from it last arrived, or null if never since this peer started
 * @param rooms the names of the rooms it shares with this peer
 */
public record KnownPeer(String name, PeerKey key, PeerAddress address, Source source,
        ConnectionState state, Instant lastSeen, Set<String> rooms) {

    /** Where a peer is known from; the first that applies. */
    public enum Source {
        /** The user_info table lists it. */
        DIRECTORY,
        /** It is a member of a room this peer is in. */
        ROOM,
        /** It called this peer, and neither the table nor a room knows it. */
        STRANGER
    }

    /**
     * Validates the components.
     *
     * @throws NullPointerException if the name, source, state or rooms are null
     */
    public KnownPeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        rooms = Set.copyOf(rooms);
    }

    /**
     * Returns its key's fingerprint.
     *
     * @return the fingerprint, or empty while the key is not known
     */
    public Optional<String> fingerprint() {
        return key == null ? Optional.empty() : Optional.of(key.fingerprint());
    }
}
