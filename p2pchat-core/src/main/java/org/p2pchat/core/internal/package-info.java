/**
 * The chat engine's implementation: the running peer ({@link
 * org.p2pchat.core.internal.ChatNode}) and its link to each friend ({@link
 * org.p2pchat.core.internal.FriendLink}), which delivers reliably through an {@link
 * org.p2pchat.core.internal.Outbox} of unacknowledged messages sent as {@link
 * org.p2pchat.core.internal.DataBatch}es, an {@link org.p2pchat.core.internal.Inflow} that
 * receives each message once and acknowledges it, and a {@link org.p2pchat.core.internal.Redial}
 * that reopens connections; per connection, a {@link org.p2pchat.core.internal.LinkHandler} runs
 * the handshake and the frames ({@link org.p2pchat.core.internal.MessageFrames}, {@link
 * org.p2pchat.core.internal.WireCodec}). Also settings and transport discovery. Not exported; may
 * change in any release.
 */
package org.p2pchat.core.internal;
