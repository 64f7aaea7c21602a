package org.p2pchat.core.internal.room;

/**
 * How this peer sees one other member's reachability: when it last acknowledged anything, whether
 * a digest to it is on its way, and whether it has been reported failed. Guarded by the room's
 * lock.
 */
final class MemberStatus {
    long lastAck;
    boolean digestPending;
    boolean failed;

    MemberStatus(long now) {
        this.lastAck = now;
    }
}
