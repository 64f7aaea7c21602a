package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.testkit.Await;

/**
 * The history a peer keeps (here in the in-memory store, over the {@code local} transport): every
 * direct and room message sent and received, read in pages newest first and searched.
 */
class HistoryTest {
    private static final int MESSAGES = 10_000;
    private final MutableDirectory directory = new MutableDirectory();
    private final List<Peer> peers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        peers.forEach(Peer::close);
    }

    private Peer peer(String name) {
        Peer p = P2pChat.builder(name).transport("local").listenOn(PeerAddress.loopback(0))
                .directory(directory).start();
        peers.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    @Test
    void tenThousandMessagesArePagedNewestFirstOnBothSidesAndFoundBySearch() {
        Peer alice = peer("alice");
        Peer bob = peer("bob");
        List<CompletionStage<Void>> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sent.add(alice.send("bob", "message " + i + (i == 4321 ? " needle" : "")));
        }
        Await.result(CompletableFuture.allOf(sent.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)));
        Await.result(alice.flush());

        Conversation atBob = bob.conversation("alice").orElseThrow();
        Await.until("bob stored all", () -> bob.history(atBob, HistoryQuery.latest(1)).size() == 1
                && bob.history(atBob, HistoryQuery.latest(1)).get(0).text()
                        .equals("message " + (MESSAGES - 1)));
        for (Peer side : List.of(alice, bob)) {
            Conversation c = side.conversation(side == alice ? "bob" : "alice").orElseThrow();
            List<HistoryRecord> all = pageAll(side, c, 333);
            assertEquals(MESSAGES, all.size(), side.name());
            assertEquals(MESSAGES, new HashSet<>(all.stream().map(HistoryRecord::messageId)
                    .toList()).size(), "ids are unique");
            for (int i = 0; i < all.size() - 1; i++) {
                assertTrue(!all.get(i).sentAt().isBefore(all.get(i + 1).sentAt()),
                        "newest first");
            }
            HistoryRecord newest = all.get(0);
            assertEquals("message " + (MESSAGES - 1), newest.text());
            assertEquals(side == alice, newest.outgoing());
            assertEquals(side == alice ? DeliveryState.DELIVERED : DeliveryState.RECEIVED,
                    newest.state());
            assertEquals("alice", newest.sender());
            List<HistoryRecord> found = side.search("NEEDLE message", 10);
            assertEquals(1, found.size(), side.name());
            assertEquals("message 4321 needle", found.get(0).text());
        }
        assertEquals(List.of(Conversation.direct(bob.publicKey(), "bob")),
                alice.conversations(10));
    }

    @Test
    void roomMessagesAreStoredByEveryMemberUnderTheRoom() {
        Peer alice = peer("alice");
        Peer bob = peer("bob");
        Room room = alice.createRoom("team", RoomAccess.OPEN);
        Room joined = Await.result(bob.joinRoom("team", alice.listenAddress()));
        Await.result(room.publish("from alice"));
        Await.result(joined.publish("from bob"));
        Await.until("both stored both", () -> alice.history(room.conversation(),
                HistoryQuery.latest(10)).size() == 2 && bob.history(joined.conversation(),
                HistoryQuery.latest(10)).size() == 2);
        List<HistoryRecord> atAlice = alice.history(room.conversation(), HistoryQuery.latest(10));
        assertEquals(room.conversation(), joined.conversation(), "the same room, by its id");
        assertEquals(List.of("from bob", "from alice"),
                atAlice.stream().map(HistoryRecord::text).toList());
        HistoryRecord own = atAlice.get(1);
        assertTrue(own.outgoing());
        Await.until("alice's message is marked delivered", () -> alice.history(room.conversation(),
                HistoryQuery.latest(10)).get(1).state() == DeliveryState.DELIVERED);
        assertEquals("bob", atAlice.get(0).sender());
        assertEquals(bob.publicKey(), atAlice.get(0).senderKey());
    }

    private static List<HistoryRecord> pageAll(Peer peer, Conversation c, int size) {
        List<HistoryRecord> all = new ArrayList<>();
        List<HistoryRecord> page = peer.history(c, HistoryQuery.latest(size));
        while (!page.isEmpty()) {
            assertTrue(page.size() <= size);
            all.addAll(page);
            page = peer.history(c, HistoryQuery.before(page.get(page.size() - 1), size));
        }
        return all;
    }
}
