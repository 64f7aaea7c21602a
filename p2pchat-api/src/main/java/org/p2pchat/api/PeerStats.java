package org.p2pchat.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a peer's connections and deliveries have done, as {@link Peer#stats()} took it: one line
 * per friend it has a link to, and their sum.
 *
 * <p>The counters run from the peer's start and never go back, with one exception in the
 * per-friend lines: a link the peer forgets (a stranger's, once it has no connection and nothing
 * to send) takes its line with it, and a new link to that peer starts from zero; the total keeps
 * what the forgotten link did.
 *
 * <p>An immutable value; any thread. It is not one atomic picture: every figure was read while
 * the peer ran on, one link after another, so figures may disagree by what happened meanwhile
 * (see {@link LinkStats}).
 *
 * @param takenAt when the snapshot was taken, by the system clock
 * @param uptime how long the peer has been running, by its own clock
 * @param total every friend's figures summed, those of links forgotten since included
 * @param handshakesFailed connections, opened by either side, that closed before their handshake
 *     completed: keys refused either way, timeouts, protocol errors, the handshake limits; and
 *     the checks friends make of this peer's key at its listed address the first time it calls
 *     them with a key they do not know yet, which stop halfway by design (one per such friend)
 * @param friends one line per friend, ordered by name
 */
public record PeerStats(Instant takenAt, Duration uptime, LinkStats total,
        long handshakesFailed, List<FriendStats> friends) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if any is null
     */
    public PeerStats {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(total, "total");
        friends = List.copyOf(friends);
    }

    /**
     * Finds a friend's line by name.
     *
     * @param name the name, as {@link FriendStats#name()} has it
     * @return the first line of that name, or empty if there is none
     */
    public Optional<FriendStats> friend(String name) {
        Objects.requireNonNull(name, "name");
        return friends.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
