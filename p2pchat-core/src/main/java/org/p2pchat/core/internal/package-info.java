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
 * blocks one. Also settings and transport discovery. Not exported; may change in any release.
 */
package org.p2pchat.core.internal;
