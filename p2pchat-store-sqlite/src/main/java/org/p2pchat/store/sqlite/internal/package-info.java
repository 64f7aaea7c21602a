/**
 * The SQLite store's implementation, not exported from its module.
 *
 * <p>{@link org.p2pchat.store.sqlite.internal.SqliteStore} keeps one database per peer, in WAL
 * mode, and routes to classes of one job each: {@link org.p2pchat.store.sqlite.internal.Writer}
 * applies the queued writes in group commits on its own thread (a batch that fails is tried
 * again one write per transaction, so that a failing write fails alone), with the statements of
 * {@link org.p2pchat.store.sqlite.internal.WriteStatements}; reads run on their callers' threads
 * on the connections of {@link org.p2pchat.store.sqlite.internal.ReaderPool}.
 * {@link org.p2pchat.store.sqlite.internal.Schema} holds the schema and its migrations, applied
 * in order at open ({@code PRAGMA user_version}).
 * {@link org.p2pchat.store.sqlite.internal.SqliteStoreProvider} is what
 * {@link java.util.ServiceLoader} finds.
 */
package org.p2pchat.store.sqlite.internal;
