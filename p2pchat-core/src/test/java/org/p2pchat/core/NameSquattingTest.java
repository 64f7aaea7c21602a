package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.testkit.Await;

/**
 * An impostor claims the name of a friend bob lists without a pinned key, before the real friend
 * has ever talked to him. Bob does not take its word: he asks the friend's listed address, and
 * only the peer holding the key found there is accepted under that name.
 */
class NameSquattingTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Bob's table: alice is listed (at her real address), without a key. */
    private final MutableDirectory bobsTable = new MutableDirectory();
    @TempDir
    Path state;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Peer peer(String name, MutableDirectory table, Inbox inbox, PeerAddress at) {
        Peer p = P2pChat.builder(name).transport("nio").listenOn(at).directory(table)
                .listener(inbox).stateDirectory(state.resolve(name + "-" + toClose.size())).start();
        toClose.add(p);
        return p;
    }

    private Peer bob(Inbox inbox) {
        Peer bob = peer("bob", bobsTable, inbox, PeerAddress.loopback(0));
        bobsTable.put("bob", bob.listenAddress());
        return bob;
    }

    /** A peer called alice whose own table lists bob. */
    private Peer alice(Peer bob, PeerAddress at) {
        return peer("alice", new MutableDirectory().put("bob", bob.listenAddress()), new Inbox(), at);
    }

    @Test
    void anImpostorCallingFirstIsRefusedAndTheRealFriendIsAcceptedAfterwards() {
        Inbox bobInbox = new Inbox();
        Peer bob = bob(bobInbox);
        Peer realAlice = alice(bob, PeerAddress.loopback(0));
        bobsTable.put("alice", realAlice.listenAddress());
        Peer impostor = alice(bob, PeerAddress.loopback(0));

        Throwable refused = Await.failure(impostor.send("bob", "I am alice"));
        assertInstanceOf(PeerIdentityException.class, refused);
        assertTrue(refused.getMessage().contains("bob could not confirm that key for 'alice' at the"
                + " address its user_info table lists for that name"), refused.getMessage());
        assertTrue(!refused.getMessage().contains(Integer.toString(realAlice.listenAddress().port())),
                "the impostor is not told where alice lives");
        assertEquals(realAlice.publicKey(), bob.peerKey("alice").orElseThrow(),
                "bob learnt the key at alice's listed address, not the impostor's");

        Await.result(realAlice.send("bob", "it is really me"));
        var m = bobInbox.next();
        assertEquals("alice", m.from());
        assertEquals("it is really me", m.text());
        assertTrue(bobInbox.messages.isEmpty(), "nothing of the impostor's arrived");
    }

    @Test
    void anImpostorCallingWhileTheFriendIsAwayIsRefusedAndTheFriendIsAcceptedWhenBack()
            throws Exception {
        Inbox bobInbox = new Inbox();
        Peer bob = bob(bobInbox);
        PeerAddress alicesAddress = deadAddress();
        bobsTable.put("alice", alicesAddress);
        Peer impostor = alice(bob, PeerAddress.loopback(0));

        Throwable refused = Await.failure(impostor.send("bob", "I am alice"));
        assertInstanceOf(PeerIdentityException.class, refused);
        assertTrue(refused.getMessage().contains("bob could not confirm that key for 'alice'"),
                refused.getMessage());
        assertTrue(bob.peerKey("alice").isEmpty(), "nothing learnt from the impostor");

        Peer realAlice = alice(bob, alicesAddress);
        Await.result(realAlice.send("bob", "back now"));
        assertEquals("back now", bobInbox.next().text());
        assertEquals(realAlice.publicKey(), bob.peerKey("alice").orElseThrow());
    }

    private static PeerAddress deadAddress() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            return PeerAddress.loopback(s.getLocalPort());
        }
    }
}
