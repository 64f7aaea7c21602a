package org.p2pchat.api;

import java.util.Objects;

/**
 * One friend's line of a {@link PeerStats} snapshot: a friend of the directory, a room member or
 * a stranger this peer has a link to (made by the first message or connection either way). An
 * immutable value; any thread.
 *
 * @param name the name the peer goes by here (an address, for a join whose member has not
 *     answered yet)
 * @param key its key, or null while no handshake has proven one (a friend not met yet)
 * @param stats what the link to it has done and holds now
 */
public record FriendStats(String name, PeerKey key, LinkStats stats) {
    /**
     * Validates the components.
     *
     * @throws NullPointerException if the name or the stats are null
     */
    public FriendStats {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stats, "stats");
    }
}
