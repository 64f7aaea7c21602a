package org.p2pchat.core.internal.store;

import java.nio.file.Path;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.testkit.MessageStoreContract;

/** The in-memory store keeps the contract every store keeps, except surviving a reopen. */
class MemoryStoreContractTest extends MessageStoreContract {
    @Override
    protected MessageStore open(Path directory) {
        return new MemoryStoreProvider().open(directory);
    }

    @Override
    protected boolean durable() {
        return false;
    }
}
