/**
 * The SQLite store's implementation, not exported from its module.
 *
 * <p>{@link org.p2pchat.store.sqlite.internal.SqliteStore} keeps one database per peer, in WAL
 * mode. One writer thread per store applies the queued writes in group commits, each write in a
 * savepoint of its own so that a failing write fails alone; reads run on their callers' threads
 * on pooled read connections. {@link org.p2pchat.store.sqlite.internal.Schema} holds the schema
 * and its migrations, applied in order at open ({@code PRAGMA user_version}).
 * {@link org.p2pchat.store.sqlite.internal.SqliteStoreProvider} is what
 * {@link java.util.ServiceLoader} finds.
 */
package org.p2pchat.store.sqlite.internal;
