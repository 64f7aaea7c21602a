/**
 * The {@code sqlite} message store: a peer's history, outbox and receive records in one SQLite
 * database ({@code history.db} in the peer's directory), in WAL mode, written in group commits by
 * one thread per store, with an FTS5 index for search.
 *
 * <p>Nothing is exported: the chat engine reaches the store only through
 * {@link org.p2pchat.spi.MessageStoreProvider}, found with {@link java.util.ServiceLoader}.
 */
module org.p2pchat.store.sqlite {
    requires org.p2pchat.api;
    requires org.slf4j;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    provides org.p2pchat.spi.MessageStoreProvider
            with org.p2pchat.store.sqlite.internal.SqliteStoreProvider;
}
