/**
 * The in-memory {@link org.p2pchat.spi.MessageStore}, the default when a peer is embedded with
 * no store chosen: history, outbox and receive records that live as long as the process, within
 * fixed bounds; direct messages kept as numbered series ({@link
 * org.p2pchat.core.internal.store.NumberedHistory}) rather than a record each. Durable stores plug in through {@link org.p2pchat.spi.MessageStoreProvider} (the
 * {@code p2pchat-store-sqlite} module). Uses runtime only; used by the node and the layers that
 * keep things in a store.
 */
package org.p2pchat.core.internal.store;
