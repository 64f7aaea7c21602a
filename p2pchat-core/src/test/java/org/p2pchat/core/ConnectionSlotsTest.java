package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.Await;

/**
 * Strangers can take at most half of a peer's connection places; a friend always gets one, if
 * need be by closing the stranger's connection heard from longest ago.
 */
class ConnectionSlotsTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final MutableDirectory bobsTable = new MutableDirectory();
    private final Inbox bobInbox = new Inbox();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Peer bob(int maxConnections) {
        Peer bob = P2pChat.builder("bob").transport("nio").listenOn(PeerAddress.loopback(0))
                .directory(bobsTable).listener(bobInbox).maxConnections(maxConnections)
                .deliveryTimeout(Duration.ofSeconds(30)).start();
        toClose.add(bob);
        bobsTable.put("bob", bob.listenAddress());
        return bob;
    }

    private Peer caller(String name, Peer bob, boolean listedByBob) {
        Peer p = P2pChat.builder(name).transport("nio").listenOn(PeerAddress.loopback(0))
                .directory(new MutableDirectory().put("bob", bob.listenAddress()))
                .listener(m -> { }).deliveryTimeout(Duration.ofSeconds(2))
                .closeLinger(Duration.ZERO).start();
        toClose.add(p);
        if (listedByBob) {
            bobsTable.put(name, p.listenAddress());
        }
        return p;
    }

    @Test
    void strangersGetHalfThePlacesAndTheRestAreToldItIsBusyNotThatBobIsOffline() {
        Peer bob = bob(4);
        for (int i = 0; i < 2; i++) {
            Await.result(caller("stranger" + i, bob, false).send("bob", "hi"));
        }
        Throwable refused = Await.failure(caller("stranger2", bob, false).send("bob", "me too"));
        DeliveryTimeoutException timeout = assertInstanceOf(DeliveryTimeoutException.class, refused);
        ConnectionLimitException busy = assertInstanceOf(ConnectionLimitException.class,
                timeout.getCause(), "the last failure says why");
        assertTrue(busy.getMessage().startsWith("bob refused the connection for now: busy:"
                + " connection limit"), busy.getMessage());
        bobInbox.next();
        bobInbox.next();
        assertTrue(bobInbox.messages.isEmpty(), "nothing of the refused stranger's arrived");
    }

    @Test
    void whenEveryPlaceIsTakenAFriendGetsInByClosingTheQuietestStrangersConnection() {
        Peer bob = bob(4);
        List<Peer> strangers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            strangers.add(caller("stranger" + i, bob, false));
            Await.result(strangers.get(i).send("bob", "hi"));
        }
        for (String friend : new String[] {"carol", "dave"}) {
            Await.result(caller(friend, bob, true).send("bob", "hello"));
        }
        Peer alice = caller("alice", bob, true);
        Await.result(alice.send("bob", "let me in"));
        Await.result(bob.send("alice", "welcome"));
        Await.until("a stranger made room", () -> strangers.stream()
                .filter(s -> s.connectionState("bob") == org.p2pchat.api.ConnectionState.CONNECTED)
                .count() == 1);
    }

    @Test
    void oneSourceHoldsAtMostFourStrangersPlaces() {
        Peer bob = bob(64);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(caller("stranger" + i, bob, false).send("bob", "hi").toCompletableFuture());
        }
        Await.until("every send ended", () -> sent.stream().allMatch(CompletableFuture::isDone));
        long refused = sent.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertEquals(1, refused, "the fifth stranger from 127.0.0.1 is refused");
    }
}
