package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomJoinException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.RoomMessageId;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.testkit.Await;

/** Rooms over the nio transport on 127.0.0.1: joins through any member, flooding, leaves. */
class RoomsOverNioTest {
    private final RoomPeers peers = new RoomPeers(b -> b.transport("nio")
            .roomDigestInterval(Duration.ofMillis(200)).roomFailureTimeout(Duration.ofSeconds(2)));

    private Peer peer(String name) {
        return peers.start(name);
    }

    @AfterEach
    void closeAll() {
        peers.close();
    }

    private static Room join(Peer joiner, String room, Peer through) {
        return Await.result(joiner.joinRoom(room, through.listenAddress()));
    }

    @Test
    void fivePeersJoiningThroughEachOtherReceiveEveryOtherPeersMessagesOnceInOrder() {
        Peer a = peer("a");
        Peer b = peer("b");
        Peer c = peer("c");
        Peer d = peer("d");
        Peer e = peer("e");
        a.createRoom("general", RoomAccess.OPEN);
        join(b, "general", a);
        join(c, "general", b);
        join(d, "general", c);
        join(e, "general", a);
        List<Peer> all = List.of(a, b, c, d, e);
        peers.awaitMembers(List.of("a", "b", "c", "d", "e"));
        List<CompletableFuture<RoomMessageId>> published = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            for (Peer p : all) {
                published.add(p.room("general").orElseThrow().publish(p.name() + " " + i)
                        .toCompletableFuture());
            }
        }
        for (CompletableFuture<RoomMessageId> f : published) {
            Await.result(f);
        }
        for (Peer p : all) {
            RoomLog log = peers.log(p.name());
            Await.until(p.name() + " has 800 messages", Duration.ofSeconds(60),
                    () -> log.received() >= 800);
        }
        for (Peer p : all) {
            List<RoomMessage> got = peers.log(p.name()).messages();
            assertEquals(800, got.size(), p.name() + " got each message once");
            Map<String, Integer> next = new HashMap<>();
            for (RoomMessage m : got) {
                String origin = m.from();
                int expected = next.getOrDefault(origin, 0);
                assertEquals(origin + " " + expected, m.text(), p.name() + ": " + origin
                        + "'s messages in order");
                next.put(origin, expected + 1);
                assertTrue(!origin.equals(p.name()), "no echo of one's own messages");
            }
            assertEquals(Set.of("a", "b", "c", "d", "e").size() - 1, next.size());
        }
        Set<String> view = names(a.room("general").orElseThrow());
        for (Peer p : all) {
            assertEquals(view, names(p.room("general").orElseThrow()), p.name() + "'s view");
        }
        assertTrue(((ChatNode) a).probe().roomStateSize("general") <= 5,
                "de-duplication state is one number per origin once nothing is held");
    }

    @Test
    void aJoinUnderANameAnotherKeyHoldsIsRefusedOnTheJoinersSide() {
        Peer a = peer("a");
        Peer b = peer("b");
        a.createRoom("general", RoomAccess.OPEN);
        join(b, "general", a);
        Peer otherB = peer("b");
        Throwable refused = Await.failure(otherB.joinRoom("general", a.listenAddress()));
        RoomJoinException e = assertInstanceOf(RoomJoinException.class, refused);
        assertEquals(RoomJoinException.Reason.NAME_TAKEN, e.reason(), e.getMessage());
    }

    @Test
    void anInviteOnlyRoomAdmitsOnlyHoldersOfItsInvite() {
        Peer a = peer("a");
        Peer b = peer("b");
        Peer c = peer("c");
        Room room = a.createRoom("secret");
        assertEquals(RoomAccess.INVITE_ONLY, room.access());
        Throwable refused = Await.failure(b.joinRoom("secret", a.listenAddress()));
        assertEquals(RoomJoinException.Reason.INVITE_REQUIRED,
                assertInstanceOf(RoomJoinException.class, refused).reason());
        Room joined = Await.result(c.joinRoom(room.invite()));
        Await.result(joined.publish("hello"));
        Await.until("a hears c", () -> peers.log("a").received() == 1);
        assertEquals("hello", peers.log("a").messages().get(0).text());
    }

    @Test
    void aLeaveIsAnnouncedAndAMemberCanBeWrittenToByItsRoomName() {
        Peer a = peer("a");
        Peer b = peer("b");
        Peer c = peer("c");
        a.createRoom("general", RoomAccess.OPEN);
        join(b, "general", a);
        join(c, "general", b);
        Await.until("c knows a", () -> c.room("general").orElseThrow().members().size() == 3);
        Await.result(c.send("a", "psst"));
        Await.until("a got it", () -> peers.log("a").directs().contains("c: psst"));
        Await.result(b.room("general").orElseThrow().leave());
        Await.until("a hears b left", () -> peers.log("a").heard("left general b"));
        Await.until("c hears b left", () -> peers.log("c").heard("left general b"));
        assertEquals(Set.of("a", "c"), names(a.room("general").orElseThrow()));
    }

    @Test
    void knownPeersListsRoomMembersWithTheRoomsTheyShareAndConnectOpensAheadOfTheFirstMessage() {
        Peer a = peer("a");
        Peer b = peer("b");
        Peer c = peer("c");
        a.createRoom("general", RoomAccess.OPEN);
        a.createRoom("side", RoomAccess.OPEN);
        join(b, "general", a);
        join(c, "general", a);
        join(c, "side", a);
        Await.until("c knows b", () -> c.room("general").orElseThrow().members().size() == 3);
        Map<String, org.p2pchat.api.KnownPeer> known = new HashMap<>();
        for (org.p2pchat.api.KnownPeer k : c.knownPeers()) {
            known.put(k.name(), k);
        }
        assertEquals(Set.of("a", "b"), known.keySet(), "every member, not c itself");
        assertEquals(Set.of("general", "side"), known.get("a").rooms());
        assertEquals(Set.of("general"), known.get("b").rooms());
        assertEquals(org.p2pchat.api.KnownPeer.Source.ROOM, known.get("b").source());
        assertEquals(b.publicKey(), known.get("b").key());
        assertEquals(b.listenAddress(), known.get("b").address());

        Peer d = peer("d");
        join(d, "general", a);
        Await.until("d knows c", () -> d.room("general").orElseThrow().members().size() == 4);
        Await.result(d.connect("c"));
        assertEquals(org.p2pchat.api.ConnectionState.CONNECTED, d.connectionState("c"));
        Await.until("c sees d's connection", () -> c.knownPeers().stream()
                .anyMatch(k -> k.name().equals("d")
                        && k.state() == org.p2pchat.api.ConnectionState.CONNECTED
                        && k.lastSeen() != null));
    }

    @Test
    void aJoinThroughAnAddressWhereNobodyListensFailsAsUnreachable() throws Exception {
        Peer a = peer("a");
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Throwable failed = Await.failure(a.joinRoom("general", PeerAddress.loopback(closedPort)));
        RoomJoinException e = assertInstanceOf(RoomJoinException.class, failed);
        assertEquals(RoomJoinException.Reason.UNREACHABLE, e.reason(), e.getMessage());
        assertTrue(a.rooms().isEmpty());
        assertTrue(a.knownPeers().isEmpty(), "nothing is left of the attempt");
    }

    @Test
    void aJoinThroughAFriendsListedAddressMeetsThatFriendOnceUnderItsTableName() {
        Peer alice = peer("alice");
        alice.createRoom("general", RoomAccess.OPEN);
        MutableDirectory bobsTable = new MutableDirectory().put("alice", alice.listenAddress());
        Peer bob = peers.start("bob", b -> b.directory(bobsTable));
        Await.result(bob.joinRoom("general", alice.listenAddress()));
        assertEquals(java.util.Optional.of(alice.publicKey()), bob.peerKey("alice"),
                "the key that answered at alice's table address is trusted for her name");
        List<org.p2pchat.api.KnownPeer> known = bob.knownPeers();
        assertEquals(1, known.size(), known.toString());
        assertEquals(org.p2pchat.api.KnownPeer.Source.DIRECTORY, known.get(0).source());
        assertEquals(Set.of("general"), known.get(0).rooms());
        Await.result(bob.send("alice", "one link, one numbering"));
        Await.until("alice got it", () -> peers.log("alice").directs()
                .contains("bob: one link, one numbering"));
    }

    @Test
    void membersOfABusyRoomClosingAtOnceAllFinishClosing() throws Exception {
        // Closing takes a room's lock and a link's in turn on several threads at once: an
        // order inverted anywhere would leave a close() hanging here.
        for (int round = 0; round < 3; round++) {
            List<Peer> members = new ArrayList<>();
            Peer first = peer("r" + round + "a");
            first.createRoom("general", RoomAccess.OPEN);
            members.add(first);
            for (String n : List.of("b", "c", "d", "e")) {
                Peer p = peer("r" + round + n);
                join(p, "general", first);
                members.add(p);
            }
            for (Peer p : members) {
                Await.until(p.name() + " sees five", () ->
                        p.room("general").orElseThrow().members().size() == 5);
                p.room("general").orElseThrow().publish("bye from " + p.name());
            }
            List<Thread> closers = new ArrayList<>();
            for (Peer p : members) {
                Thread t = new Thread(p::close, "closer-" + p.name());
                t.start();
                closers.add(t);
            }
            for (Thread t : closers) {
                t.join(Duration.ofSeconds(20).toMillis());
                assertTrue(!t.isAlive(), t.getName() + " still closing: " + stackOf(t));
            }
        }
    }

    private static String stackOf(Thread t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\n  at ").append(e);
        }
        return b.toString();
    }

    @Test
    void aDirectMessageFromTheMemberAJoinWentThroughCarriesItsNameNotItsAddress() {
        Peer a = peer("a");
        Peer b = peer("b");
        a.createRoom("general", RoomAccess.OPEN);
        join(b, "general", a);
        Await.until("a knows b", () -> a.room("general").orElseThrow().members().size() == 2);
        Await.result(a.send("b", "hi"));
        Await.until("b got it from a", () -> peers.log("b").directs().contains("a: hi"));
        assertTrue(b.knownPeers().stream().anyMatch(k -> k.name().equals("a")),
                b.knownPeers().toString());
    }

    private static Set<String> names(Room room) {
        Set<String> out = new TreeSet<>();
        for (RoomMember m : room.members()) {
            out.add(m.name());
        }
        return out;
    }
}
