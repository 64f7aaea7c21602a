/**
 * The running peer, which wires the layers together: a {@link
 * org.p2pchat.core.internal.node.ChatNode} owns one transport, a delivery link per friend (in a
 * {@link org.p2pchat.core.internal.node.LinkTable}, which is the {@code FriendLink.Connector} of
 * delivery), its connections up to their handshake (a {@link
 * org.p2pchat.core.internal.node.NodeConnections}, with the handshake gate of the link layer), the
 * trust decisions, and the node's threads, which a {@link
 * org.p2pchat.core.internal.node.NodeClosing} stops; its {@link
 * org.p2pchat.core.internal.node.NodeLinkSide} is the {@code LinkNode} of the link layer. Also
 * the {@code p2pchat.*} {@link org.p2pchat.core.internal.node.Settings}, transport discovery
 * ({@link org.p2pchat.core.internal.node.TransportSelector}) and what tests and diagnostics read
 * of a running node ({@link org.p2pchat.core.internal.node.NodeProbe}).
 *
 * <p>The top of the layers: it may use {@code link}, {@code delivery}, {@code room}, {@code
 * session}, {@code noise}, {@code observe} (the snapshot of {@code Peer.stats()}) and {@code
 * runtime}; nothing internal uses it, only the public {@code
 * org.p2pchat.core} package, which builds peers. Internal; not exported.
 */
package org.p2pchat.core.internal.node;
