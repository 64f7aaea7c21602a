/**
 * Links and handshakes: running one connection and admitting connections. Per connection, a
 * {@link org.p2pchat.core.internal.link.LinkHandler} runs the Noise XX handshake ({@link
 * org.p2pchat.core.internal.link.WireCodec} reads and writes its HELLO, ACCEPT and REFUSE), has
 * the trust decision made, and hands the sealed frames to delivery.
 *
 * <p>What keeps hostile strangers bounded: the {@link
 * org.p2pchat.core.internal.link.HandshakeGate} admits connections to their handshake ({@link
 * org.p2pchat.core.internal.link.HandshakeAdmission}: per-source and total places and rates)
 * before any Diffie-Hellman; {@link org.p2pchat.core.internal.link.TrustDecisions} binds names to
 * keys, checking a caller's key at a friend's listed address ({@link
 * org.p2pchat.core.internal.link.ListedAddressCheck}, {@link
 * org.p2pchat.core.internal.link.KeyProbe}); {@link
 * org.p2pchat.core.internal.link.ConnectionSlots} keeps places for friends. {@link
 * org.p2pchat.core.internal.link.SessionOptions} are the identity, trust and handshake limits a
 * node runs its links with.
 *
 * <p>Uses {@code delivery}, {@code session}, {@code noise}, {@code observe} (each connection's
 * Flight Recorder events) and {@code runtime}; knows the node
 * only through {@link org.p2pchat.core.internal.link.LinkNode}. Used by {@code node}. Internal;
 * not exported.
 */
package org.p2pchat.core.internal.link;
