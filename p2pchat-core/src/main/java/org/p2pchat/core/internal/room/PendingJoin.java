package org.p2pchat.core.internal.room;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Room;

/**
 * A join under way: asked of the member at {@code address}, waiting for its OFFER, then its
 * WELCOME. Holds what an invite said, to check the member's answers against. Guarded by
 * {@link Rooms}' lock.
 */
final class PendingJoin {
    final String room;
    final PeerAddress address;
    /** The room id an invite named, or null when joining an open room by address. */
    final RoomId expectedId;
    /** The secret an invite carried, or null. */
    final byte[] secret;
    final CompletableFuture<Room> done = new CompletableFuture<>();
    /** The member's key, once the connection to it proved it. */
    PeerKey member;
    /** The record sent with JOIN, once the OFFER came. */
    MemberRecord record;
    RoomId id;
    org.p2pchat.api.RoomAccess access;
    /** Where this peer stopped in the room before (from its store), once the OFFER came. */
    java.util.List<RoomSequencer.Position> stopped = java.util.List.of();

    PendingJoin(String room, PeerAddress address, RoomId expectedId, byte[] secret) {
        this.room = room;
        this.address = address;
        this.expectedId = expectedId;
        this.secret = secret;
    }
}
