package org.p2pchat.core.internal.node;

import org.p2pchat.core.internal.delivery.FriendLink;

/**
 * What tests and diagnostics read of a running node ({@link ChatNode#probe}): its links, its
 * rooms' de-duplication state, its file transfers and its inbound memory. Nothing here changes
 * the node; it reads the file transfers through the node, as {@link ChatNode#fileOptions} may
 * replace them before the node starts.
 *
 * <p>Thread-safe: any thread may ask; each answer is of one moment, and the node goes on
 * meanwhile.
 */
public final class NodeProbe {
    private final ChatNode node;

    NodeProbe(ChatNode node) {
        this.node = node;
    }

    /**
     * Returns the file bytes this peer has sent in chunks, resent ones included; for tests and
     * diagnostics.
     *
     * @return bytes
     */
    public long fileChunkBytesSent() {
        return node.files().chunkBytesSent();
    }

    /**
     * Returns the size of a room's de-duplication state (origins remembered plus messages held
     * ahead of gaps); for tests and diagnostics.
     *
     * @param room the room's name
     * @return the size, or -1 if this peer is not in the room
     */
    public int roomStateSize(String room) {
        return node.roomLayer().sequencerStateSize(room);
    }

    /**
     * Tells whether this peer keeps a link (outbox, what it received) for a friend; for tests and
     * diagnostics. A friend outside the directory is forgotten once it has no connection and
     * nothing to send.
     *
     * @param friend the friend's name
     * @return true while a link exists
     */
    public boolean hasLink(String friend) {
        return node.links().linkNamed(friend) != null;
    }

    /**
     * Counts this peer's open connections to a friend; for tests and diagnostics.
     *
     * @param friend the friend's name
     * @return the number of open connections
     */
    public int openConnections(String friend) {
        FriendLink link = node.links().linkNamed(friend);
        return link == null ? 0 : link.openConnections();
    }

    /**
     * Returns the heap that messages received and not yet finished with by the listener take, as
     * {@code p2pchat.inboundMemoryBytes} counts it, from every sender together; for tests and
     * diagnostics.
     *
     * @return the bytes
     */
    public long inboundMemoryUsed() {
        return node.memory().used();
    }

    /**
     * Returns the bytes of messages from a friend handed to the listener and not yet returned
     * from; for tests and diagnostics.
     *
     * @param friend the friend's name
     * @return the bytes, counted as {@code p2pchat.receiveWindowBytes} counts them
     */
    public long backlogBytes(String friend) {
        FriendLink link = node.links().linkNamed(friend);
        return link == null ? 0 : link.inflow().backlog();
    }

    /**
     * Returns the bytes of messages to a friend that it has not acknowledged; for tests and
     * diagnostics.
     *
     * @param friend the friend's name
     * @return the bytes, counted as {@code p2pchat.outboxLimitBytes} counts them
     */
    public long outboxBytes(String friend) {
        FriendLink link = node.links().linkNamed(friend);
        return link == null ? 0 : link.outboxBytes();
    }
}
