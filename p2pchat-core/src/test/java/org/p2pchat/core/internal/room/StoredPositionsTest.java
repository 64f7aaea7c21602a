package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.session.Ed25519;
import org.p2pchat.core.internal.store.MemoryStore;
import org.p2pchat.spi.StoreWrite;

/** Positions kept in the store, read back for one room as a JOIN lists them. */
class StoredPositionsTest {

    @Test
    void theSigningKeyDerivedFromAPeerKeyMapsBackToIt() {
        for (int n = 1; n <= 200; n++) {
            PeerKey key = RoomFixtures.peerKey(n);
            byte[] derived = StoredPositions.signingKeyOf(key);
            assertNotNull(derived, "member " + n);
            assertEquals(key, Ed25519.peerKeyOf(derived), "member " + n);
        }
    }

    @Test
    void onlyTheRoomsOwnPositionsAreRead() {
        MemoryStore store = new MemoryStore();
        StoredPositions.write(store, RoomFixtures.ROOM, List.of(new RoomSequencer.Position(
                RoomFixtures.peerKey(1), RoomFixtures.keys(1).publicKey(), 5, 9)));
        store.write(new StoreWrite().roomPosition(StoredPositions.of(RoomFixtures.OTHER_ROOM,
                RoomFixtures.peerKey(2), 6, 3)));
        List<RoomSequencer.Position> read = StoredPositions.read(store, RoomFixtures.ROOM, "me");
        assertEquals(1, read.size());
        assertEquals(RoomFixtures.peerKey(1), read.get(0).origin());
        assertEquals(5, read.get(0).incarnation());
        assertEquals(9, read.get(0).next());
        assertEquals(RoomFixtures.peerKey(1), Ed25519.peerKeyOf(read.get(0).signingKey()));
        assertEquals(List.of(), StoredPositions.read(store, new RoomId(1, 1), "me"));
    }
}
