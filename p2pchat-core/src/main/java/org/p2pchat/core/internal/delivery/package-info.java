/**
 * Reliable delivery over one friend's connections. A {@link
 * org.p2pchat.core.internal.delivery.FriendLink} delivers through an {@link
 * org.p2pchat.core.internal.delivery.Outbox} of unacknowledged messages that its {@link
 * org.p2pchat.core.internal.delivery.Transmitter} sends as {@link
 * org.p2pchat.core.internal.delivery.DataBatch}es ({@link
 * org.p2pchat.core.internal.delivery.MessageFrames}), an {@link
 * org.p2pchat.core.internal.delivery.Inflow} that receives each message once and acknowledges it,
 * its {@link org.p2pchat.core.internal.delivery.LinkConnections}, which pick the connection that
 * carries them, an {@link org.p2pchat.core.internal.delivery.OutboxTimer} that expires what waits too
 * long ({@link org.p2pchat.core.internal.delivery.Undelivered} says why it failed) while a {@link
 * org.p2pchat.core.internal.delivery.Liveness} watches the connection, and a {@link
 * org.p2pchat.core.internal.delivery.Redial} that reopens connections at a {@link
 * org.p2pchat.core.internal.delivery.Backoff} pace. A {@link
 * org.p2pchat.core.internal.delivery.LinkSession} is an authenticated connection as delivery sees
 * it; {@link org.p2pchat.core.internal.delivery.Strangers} remembers friends outside the directory
 * so that they can be answered; a {@link org.p2pchat.core.internal.delivery.MemoryBudget} bounds
 * what received messages hold. A {@link org.p2pchat.core.internal.delivery.DeliveryMeter} counts
 * what a link does, for {@code Peer.stats()} and the Flight Recorder.
 *
 * <p>Uses {@code session} (the secure channel under a session), {@code noise} (its tag size),
 * {@code observe} (counters and events) and {@code runtime}; knows the node only through {@link
 * org.p2pchat.core.internal.delivery.FriendLink.Connector}. Used by {@code link}, which hands it
 * the sealed frames of each connection, and by {@code node}, which keeps a link per friend.
 * Internal; not exported.
 */
package org.p2pchat.core.internal.delivery;
