package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.testkit.MessageStoreContract;

/** The SQLite store against the store contract, with the default (NORMAL) sync mode. */
class SqliteStoreContractTest extends MessageStoreContract {
    @Override
    protected MessageStore open(Path directory) {
        return new SqliteStoreProvider().open(directory);
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
