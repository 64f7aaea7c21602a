package org.p2pchat.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.p2pchat.api.PeerKey;

/**
 * A message to a peer that it has not acknowledged, as a {@link MessageStore} keeps it so that a
 * restarted sender sends it again. An immutable value (the body is copied in and out).
 *
 * @param peer the key of the peer it goes to
 * @param epoch the epoch of the process that first numbered it (its HELLO's): a message sent
 *     again by a later process keeps the number its first process gave it
 * @param seq its number in that process's numbering to that peer
 * @param kind its DATA message kind (PROTOCOL.md, "Message kinds")
 * @param body its bytes
 * @param deadline when its delivery timeout passes
 * @param messageId the history record it belongs to, or null (a room's membership message)
 */
public record OutboxRecord(PeerKey peer, long epoch, long seq, byte kind, byte[] body, Instant deadline,
        String messageId) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if the peer, body or deadline is null
     */
    public OutboxRecord {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(deadline, "deadline");
        body = body.clone();
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxRecord r && peer.equals(r.peer) && epoch == r.epoch && seq == r.seq && kind == r.kind
                && Arrays.equals(body, r.body) && deadline.equals(r.deadline)
                && Objects.equals(messageId, r.messageId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, epoch, seq, kind, deadline, messageId) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "OutboxRecord[" + peer.fingerprint() + " " + Long.toHexString(epoch) + "#" + seq + ", kind " + kind + ", "
                + body.length + " bytes]";
    }
}
