/**
 * The public API of p2pchat: what an application touches.
 *
 * <p>An application implements {@link org.p2pchat.api.MessageListener}, describes its friends in
 * a {@link org.p2pchat.api.PeerDirectory}, starts a {@link org.p2pchat.api.Peer} (with the builder
 * in {@code org.p2pchat.core}) and sends with {@link org.p2pchat.api.Peer#send}. Every failure is a
 * subclass of {@link org.p2pchat.api.P2pChatException}, an unchecked exception whose type tells the
 * caller what to do next.
 *
 * <p>Types here are immutable values or thread-safe interfaces; none of them blocks on the network.
 */
package org.p2pchat.api;
