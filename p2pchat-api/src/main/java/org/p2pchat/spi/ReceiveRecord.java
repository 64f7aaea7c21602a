package org.p2pchat.spi;

import java.util.Objects;
import org.p2pchat.api.PeerKey;

/**
 * What this peer has handed to its listener of one process's numbering of a peer: the process's
 * epoch and the highest number delivered, so that a restarted receiver does not deliver again
 * what the sender sends again, and a receiver does not deliver again what a restarted sender
 * sends again from its outbox (which keeps the first process's numbers). A store keeps one
 * record per peer and epoch. An immutable value.
 *
 * @param peer the sender's key
 * @param epoch the epoch of the sender's numbering (its HELLO's)
 * @param deliveredUpTo every message numbered up to this one was handed to the listener
 */
public record ReceiveRecord(PeerKey peer, long epoch, long deliveredUpTo) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if the peer is null
     */
    public ReceiveRecord {
        Objects.requireNonNull(peer, "peer");
    }
}
