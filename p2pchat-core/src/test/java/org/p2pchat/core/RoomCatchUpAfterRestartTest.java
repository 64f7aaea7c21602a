package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.Peer;
import org.p2pchat.api.RoomMessageId;
import org.p2pchat.core.internal.store.MemoryStore;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.RoomPosition;
import org.p2pchat.spi.StoreWrite;
import org.p2pchat.testkit.Await;

/**
 * A member that is stopped while the others publish, then started again with the same state
 * directory (so the same identity) and the same store, and joined again, gets every message it
 * missed exactly once, and none it had before. Over the in-JVM transport; the store is the
 * in-memory one, kept by the test across the restart (core cannot depend on sqlite).
 */
class RoomCatchUpAfterRestartTest {
    private final RoomPeers peers = new RoomPeers(b -> b.transport("local")
            .roomDigestInterval(Duration.ofMillis(200)).roomFailureTimeout(Duration.ofSeconds(2)));

    @AfterEach
    void closeAll() {
        peers.close();
    }

    /** A store that outlives the peer that uses it: the peer's close leaves it open. */
    private static final class KeptStore implements MessageStore {
        private final MessageStore inner = new MemoryStore();

        @Override
        public CompletionStage<Void> write(StoreWrite write) {
            return inner.write(write);
        }

        @Override
        public List<HistoryRecord> history(Conversation conversation, HistoryQuery query) {
            return inner.history(conversation, query);
        }

        @Override
        public List<Conversation> conversations(int limit) {
            return inner.conversations(limit);
        }

        @Override
        public List<HistoryRecord> search(String words, int limit) {
            return inner.search(words, limit);
        }

        @Override
        public List<OutboxRecord> outbox() {
            return inner.outbox();
        }

        @Override
        public List<ReceiveRecord> received() {
            return inner.received();
        }

        @Override
        public List<RoomPosition> roomPositions() {
            return inner.roomPositions();
        }

        @Override
        public Optional<byte[]> value(String name) {
            return inner.value(name);
        }

        @Override
        public void close() {
            // kept for the next process of the same peer
        }
    }

    private static List<String> texts(String origin, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(origin + " " + i);
        }
        return out;
    }

    @Test
    void aMemberStoppedWhileOthersPublish300MessagesGetsAllOfThemExactlyOnceAfterItRestarts(
            @TempDir Path state) {
        KeptStore store = new KeptStore();
        peers.startAll(List.of("a", "b"));
        peers.start("c", b -> b.stateDirectory(state).store(store));
        peers.open("a");
        peers.join("b", "a");
        peers.join("c", "b");
        peers.awaitMembers(List.of("a", "b", "c"));
        for (int i = 0; i < 10; i++) {
            Await.result(peers.room("a").publish("a " + i));
        }
        Await.until("c has a's first 10", () -> peers.log("c").distinct() == 10);
        String key = peers.peer("c").publicKey().toString();

        peers.close("c");
        Await.until("a and b see c gone", () -> peers.room("a").members().size() == 2
                && peers.room("b").members().size() == 2);
        List<CompletableFuture<RoomMessageId>> published = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            published.add(peers.room("a").publish("a " + (10 + i)).toCompletableFuture());
            published.add(peers.room("b").publish("b " + i).toCompletableFuture());
        }
        for (CompletableFuture<RoomMessageId> f : published) {
            Await.result(f);
        }

        Peer again = peers.start("c", b -> b.stateDirectory(state).store(store));
        assertEquals(key, again.publicKey().toString(), "the same identity");
        peers.join("c", "a");
        RoomLog log = peers.log("c");
        Await.until("c has the 300 it missed (has " + log.distinct() + ")", Duration.ofSeconds(30),
                () -> log.distinct() >= 300);
        // Whatever is still on its way comes before this marker on a's link to c.
        Await.result(peers.room("a").publish("a 160"));
        Await.until("c has a's marker", () -> log.distinct() == 301);

        assertEquals(texts("a", 10, 161), log.textsFrom("a"), "a's, from where c stopped, once");
        assertEquals(texts("b", 0, 150), log.textsFrom("b"), "b's, all of them, once");
        assertEquals(301, log.received(), "nothing twice");
        assertTrue(log.messages().stream().noneMatch(m -> m.from().equals("c")));
    }
}
