/**
 * The chat engine's implementation: the running peer ({@link
 * org.p2pchat.core.internal.ChatNode}) and its link to each friend ({@link
 * org.p2pchat.core.internal.FriendLink}), which delivers reliably through an {@link
 * org.p2pchat.core.internal.Outbox} of unacknowledged messages that its {@link
 * org.p2pchat.core.internal.Transmitter} sends as {@link org.p2pchat.core.internal.DataBatch}es,
 * an {@link org.p2pchat.core.internal.Inflow} that receives each message once and acknowledges
 * it, a {@link org.p2pchat.core.internal.Liveness} that watches the connection, and a {@link
 * org.p2pchat.core.internal.Redial} that reopens connections at a {@link
 * org.p2pchat.core.internal.Backoff} pace; per connection, a {@link
 * org.p2pchat.core.internal.LinkHandler} runs the handshake and the frames ({@link
 * org.p2pchat.core.internal.MessageFrames}, {@link org.p2pchat.core.internal.WireCodec}). The
 * node remembers recent {@link org.p2pchat.core.internal.Strangers} so that they can be answered,
 * and knows its own threads ({@link org.p2pchat.core.internal.NodeThreads}) so that closing never
 * blocks one.
 *
 * <p>What keeps hostile strangers bounded: the {@link org.p2pchat.core.internal.HandshakeGate}
 * admits connections to their handshake ({@link org.p2pchat.core.internal.HandshakeAdmission}:
 * per-source and total places and rates) before any Diffie-Hellman; {@link
 * org.p2pchat.core.internal.TrustDecisions} binds names to keys, checking a caller's key at a
 * friend's listed address ({@link org.p2pchat.core.internal.ListedAddressCheck}, {@link
 * org.p2pchat.core.internal.KeyProbe}); {@link org.p2pchat.core.internal.ConnectionSlots} keeps
 * places for friends; a {@link org.p2pchat.core.internal.MemoryBudget} bounds what received
 * messages hold; the {@link org.p2pchat.core.internal.SerialExecutor} serves senders in turn; and
 * a {@link org.p2pchat.core.internal.ThrottledLog} keeps their warnings to a line a second. Also
 * settings and transport discovery. Not exported; may change in any release.
 */
package org.p2pchat.core.internal;
