package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.store.MemoryStore;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.StoreWrite;

/** The bounds of a {@link ReceiveLedger}, in memory and in its store. */
class ReceiveLedgerTest {
    private static PeerKey key(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[1] = (byte) (i >> 8);
        return PeerKey.of(b);
    }

    @Test
    void aPeerKeepsItsLatestEightProcessesHereAndInTheStore() {
        MemoryStore store = new MemoryStore();
        ReceiveLedger ledger = new ReceiveLedger(store, List.of());
        for (long epoch = 1; epoch <= ReceiveLedger.EPOCHS_PER_PEER + 2; epoch++) {
            store.write(new StoreWrite().received(new ReceiveRecord(key(1), epoch, epoch * 10)));
            ledger.remember(key(1), epoch, epoch * 10);
        }
        assertEquals(0, ledger.deliveredUpTo(key(1), 1));
        assertEquals(0, ledger.deliveredUpTo(key(1), 2));
        assertEquals(30, ledger.deliveredUpTo(key(1), 3));
        assertEquals(ReceiveLedger.EPOCHS_PER_PEER, store.received().size());
    }

    @Test
    void aNumberNeverMovesBack() {
        ReceiveLedger ledger = new ReceiveLedger(null, List.of());
        ledger.remember(key(1), 7, 50);
        ledger.remember(key(1), 7, 20);
        assertEquals(50, ledger.deliveredUpTo(key(1), 7));
    }

    @Test
    void thePeerHeardFromLongestAgoGoesFirstBeyondTheBound() {
        List<ReceiveRecord> loaded = new ArrayList<>();
        for (int i = 0; i < ReceiveLedger.PEERS; i++) {
            loaded.add(new ReceiveRecord(key(i), 1, 1));
        }
        ReceiveLedger ledger = new ReceiveLedger(null, loaded);
        ledger.deliveredUpTo(key(0), 1); // heard from again: now the most recent
        ledger.remember(key(ReceiveLedger.PEERS), 1, 1);
        assertEquals(1, ledger.deliveredUpTo(key(0), 1));
        assertEquals(0, ledger.deliveredUpTo(key(1), 1), "the eldest is forgotten");
        assertEquals(1, ledger.deliveredUpTo(key(ReceiveLedger.PEERS), 1));
    }
}
