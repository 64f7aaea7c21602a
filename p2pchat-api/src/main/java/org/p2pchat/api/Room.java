package org.p2pchat.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A chat room this peer is a member of: created with {@link Peer#createRoom} or joined with
 * {@link Peer#joinRoom}. Every member connects to every other member it learns of (up to the
 * connection cap); a message published by one is signed by it, sent to every member, and
 * forwarded by each member that receives it to the members that may not have it yet, so it
 * reaches members that its origin cannot reach directly. Each member's listener gets each room
 * message exactly once, in its origin's order.
 *
 * <p>Thread-safe; no method blocks on the network.
 */
public interface Room {

    /**
     * Returns the room's name, unique among the rooms of this peer.
     *
     * @return the name
     */
    String name();

    /**
     * Returns who may join.
     *
     * @return the access
     */
    RoomAccess access();

    /**
     * Publishes a message to every member.
     *
     * <p>The stage completes when every member that was in this peer's view of the room when the
     * message was published has acknowledged it over a direct connection. It fails with
     * {@link RoomDeliveryException}, naming the members that did not acknowledge it, when the
     * delivery timeout ({@code p2pchat.deliveryTimeout}) passes first; the message may still
     * reach those members through other members. It fails at once with
     * {@link MessageTooLargeException} if the text does not fit a frame, with
     * {@link NotInRoomException} once this peer has left the room, and with
     * {@link PeerClosedException} once the peer is closing. A member that left meanwhile, or
     * that this peer reported {@link MemberState#FAILED failed} when the message was published,
     * is not waited for (the message is still sent to it). A room of one member completes at
     * once.
     *
     * @param text the text (may be empty)
     * @return a stage completed with the message's id when every member has it
     */
    CompletionStage<RoomMessageId> publish(String text);

    /**
     * Returns the room's conversation, to read its history with {@link Peer#history}: the room's
     * messages, this peer's and every member's, as this peer stored them.
     *
     * @return the conversation
     */
    Conversation conversation();

    /**
     * Returns the members as this peer sees them now, this peer included, ordered by name.
     *
     * @return an immutable snapshot
     */
    List<RoomMember> members();

    /**
     * Returns what another person needs to join this room through this peer: for an
     * {@link RoomAccess#INVITE_ONLY} room, the room's name, its secret, this peer's key and its
     * listen address; for an open room, the same without a secret. Pass it to
     * {@link Peer#joinRoom(String)}. Anyone who holds an invite-only room's invite can join it,
     * so send it only to the people meant to.
     *
     * @return the invite, a single line of text
     */
    String invite();

    /**
     * Leaves the room: tells every member (they report this peer as left, not failed) and stops
     * taking part. Messages published here and not yet acknowledged keep being sent for the
     * close linger. Idempotent.
     *
     * @return completes when the members this peer could reach have been told, or within the
     *     delivery timeout
     */
    CompletionStage<Void> leave();
}
