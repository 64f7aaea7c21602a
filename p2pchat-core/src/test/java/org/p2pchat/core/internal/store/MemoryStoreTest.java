package org.p2pchat.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.StoreWrite;

/** The in-memory store's bounds: what it forgets first when full. */
class MemoryStoreTest {
    private static final PeerKey KEY = randomKey();

    private static PeerKey randomKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return PeerKey.of(b);
    }

    private static HistoryRecord record(Conversation c, int n) {
        return new HistoryRecord(c.id() + "/" + n, c, false, "bob", KEY, "text " + n,
                Instant.ofEpochSecond(1_000 + n), Instant.ofEpochSecond(1_000 + n),
                DeliveryState.RECEIVED);
    }

    @Test
    void manyStrangersWithLargeMessagesNeverTakeTheHistoryPastItsByteBound() {
        long bound = 1 << 20;
        MemoryStore store = new MemoryStore(10_000, 1_000, bound);
        String large = "x".repeat(64 * 1024);
        for (int stranger = 0; stranger < 200; stranger++) {
            Conversation c = Conversation.direct(randomKey(), "zed" + stranger);
            store.write(new StoreWrite().history(new HistoryRecord("m" + stranger, c, false,
                    "zed", KEY, large, Instant.ofEpochSecond(stranger), null,
                    DeliveryState.RECEIVED)));
            assertTrue(store.historyBytes() <= bound, "after " + stranger + ": "
                    + store.historyBytes());
        }
        // The latest stay, the oldest went.
        assertEquals(1, store.search("x", 1).size());
        assertTrue(store.conversations(1_000).size() < 200);
        assertTrue(store.conversations(1_000).size() >= (int) (bound / (2 * 64 * 1024)) - 1);
        store.write(new StoreWrite().history(new HistoryRecord("m0", Conversation.room("r", "r"),
                true, "me", KEY, "small", Instant.ofEpochSecond(500), null,
                DeliveryState.PENDING)));
        assertTrue(store.historyBytes() <= bound);
    }

    @Test
    void aConversationKeepsItsNewestRecordsWithinItsBound() {
        MemoryStore store = new MemoryStore(100, 10, Long.MAX_VALUE);
        Conversation c = Conversation.direct(KEY, "bob");
        for (int i = 0; i < 250; i++) {
            store.write(new StoreWrite().history(record(c, i)));
        }
        List<HistoryRecord> all = new ArrayList<>();
        List<HistoryRecord> page = store.history(c, HistoryQuery.latest(30));
        while (!page.isEmpty()) {
            all.addAll(page);
            page = store.history(c, HistoryQuery.before(page.get(page.size() - 1), 30));
        }
        assertEquals(100, all.size());
        assertEquals("text 249", all.get(0).text(), "newest first");
        assertEquals("text 150", all.get(99).text(), "the oldest kept");
        assertEquals(DeliveryState.RECEIVED, all.get(0).state());
    }

    @Test
    void theConversationWrittenToLongestAgoIsForgottenFirstAndReadsDoNotCount() {
        MemoryStore store = new MemoryStore(100, 3, Long.MAX_VALUE);
        List<Conversation> rooms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rooms.add(Conversation.room("room" + i, "r" + i));
            store.write(new StoreWrite().history(record(rooms.get(i), 1)));
        }
        store.history(rooms.get(0), HistoryQuery.latest(1));
        Conversation fourth = Conversation.room("room3", "r3");
        store.write(new StoreWrite().history(record(fourth, 1)));
        assertTrue(store.history(rooms.get(0), HistoryQuery.latest(1)).isEmpty(),
                "room0 was written to longest ago, however recently it was read");
        assertEquals(1, store.history(rooms.get(1), HistoryQuery.latest(1)).size());
        assertEquals(1, store.history(fourth, HistoryQuery.latest(1)).size());
        store.write(new StoreWrite().state(record(rooms.get(0), 1).messageId(),
                DeliveryState.DELIVERED));
        assertTrue(store.history(rooms.get(0), HistoryQuery.latest(1)).isEmpty(),
                "a state change of a forgotten record brings nothing back");
    }

    @Test
    void aForgottenConversationIsNoLongerListed() {
        MemoryStore store = new MemoryStore(100, 2, Long.MAX_VALUE);
        List<Conversation> rooms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rooms.add(Conversation.room("room" + i, "r" + i));
            // Sent in reverse: room0's record is the latest, yet room0 goes first.
            store.write(new StoreWrite().history(record(rooms.get(i), 10 - i)));
        }
        assertEquals(List.of(rooms.get(1), rooms.get(2)), store.conversations(10));
    }

    @Test
    void aConversationWhoseLastRecordMovedAwayDoesNotCountAgainstTheBound() {
        MemoryStore store = new MemoryStore(100, 3, Long.MAX_VALUE);
        Conversation x = Conversation.room("x", "x");
        Conversation a = Conversation.room("a", "a");
        Conversation y = Conversation.room("y", "y");
        HistoryRecord moving = record(a, 2);
        store.write(new StoreWrite().history(record(x, 1)));
        store.write(new StoreWrite().history(moving));
        store.write(new StoreWrite().history(record(y, 3)));
        store.write(new StoreWrite().history(new HistoryRecord(moving.messageId(), y, false,
                "bob", KEY, "moved", moving.sentAt(), moving.receivedAt(), moving.state())));
        Conversation z = Conversation.room("z", "z");
        store.write(new StoreWrite().history(record(z, 4)));
        assertEquals(List.of(z, y, x), store.conversations(10),
                "x is kept: a, with no records left, is no conversation to count or list");
        assertEquals(1, store.history(x, HistoryQuery.latest(10)).size());
    }
}
