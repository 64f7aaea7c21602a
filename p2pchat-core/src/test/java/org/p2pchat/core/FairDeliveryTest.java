package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.Await;

/** One sender's backlog in the listener's queue never holds up another sender's messages. */
class FairDeliveryTest {
    private static final int FLOOD = 500;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Peer peer(String name, MutableDirectory table, java.util.function.Consumer<ChatMessage> l) {
        Peer p = P2pChat.builder(name).transport("local").listenOn(PeerAddress.loopback(0))
                .directory(table).listener(l::accept).start();
        toClose.add(p);
        return p;
    }

    @Test
    void whileAStrangerFloodsAFriendsMessageIsHandedToTheListenerAheadOfTheStrangersBacklog()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        MutableDirectory bobsTable = new MutableDirectory();
        Peer bob = peer("bob", bobsTable, m -> {
            seen.add(m.from() + ":" + m.text());
            try {
                // The listener is busy with the stranger's first message while the rest arrive.
                assertTrue(release.await(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        MutableDirectory others = new MutableDirectory().put("bob", bob.listenAddress());
        Peer alice = peer("alice", others, m -> { });
        bobsTable.put("alice", alice.listenAddress());
        Peer zed = peer("zed", others, m -> { });

        List<CompletableFuture<Void>> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(zed.send("bob", "junk " + i).toCompletableFuture());
        }
        // Acknowledged means received and queued for bob's listener, which is still on junk 0.
        Await.result(CompletableFuture.allOf(flood.toArray(new CompletableFuture<?>[0])));
        Await.result(alice.send("bob", "important"));
        // Acknowledged is not yet handed over: the listener may still be on its way to junk 0.
        Await.until("the listener is busy with junk 0", () -> !seen.isEmpty());
        assertEquals(List.of("zed:junk 0"), seen);

        release.countDown();
        Await.until("everything was handed to the listener", () -> seen.size() == FLOOD + 1);
        // Turns alternate: junk 1, alice's key trusted on first use, junk 2, alice's message.
        int position = seen.indexOf("alice:important");
        assertEquals(3, position, "alice's message came " + position
                + "th, behind the stranger's backlog: " + seen.subList(0, Math.min(5, seen.size())));
        List<String> strangers = seen.stream().filter(l -> l.startsWith("zed:")).toList();
        for (int i = 0; i < FLOOD; i++) {
            assertEquals("zed:junk " + i, strangers.get(i), "the stranger's own order is kept");
        }
    }
}
