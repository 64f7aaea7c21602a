package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.KnownPeer;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.testkit.Await;

/** {@code Peer.connect} opens a connection to a known peer before any message needs one. */
class ConnectAheadTest {
    private final List<Peer> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (Peer p : toClose) {
            p.close();
        }
    }

    private Peer peer(String name, MutableDirectory table) {
        Peer p = P2pChat.builder(name).transport("nio").listenOn(PeerAddress.loopback(0))
                .directory(table).listener(m -> { }).start();
        toClose.add(p);
        table.put(name, p.listenAddress());
        return p;
    }

    @Test
    void connectingToAFriendOfTheTableOpensAnAuthenticatedConnectionWithoutAMessage() {
        MutableDirectory table = new MutableDirectory();
        Peer alice = peer("alice", table);
        Peer bob = peer("bob", table);
        assertEquals(ConnectionState.DISCONNECTED, alice.connectionState("bob"));
        Await.result(alice.connect("bob"));
        assertEquals(ConnectionState.CONNECTED, alice.connectionState("bob"));
        assertEquals(java.util.Optional.of(bob.publicKey()), alice.peerKey("bob"),
                "the handshake proved bob's key, trusted on first use");
        KnownPeer seen = alice.knownPeers().stream().filter(k -> k.name().equals("bob"))
                .findFirst().orElseThrow();
        assertEquals(ConnectionState.CONNECTED, seen.state());
        assertEquals(bob.publicKey(), seen.key());
        Await.result(alice.connect("bob")); // connected already: completes at once
        assertEquals(1,
                ((org.p2pchat.core.internal.node.ChatNode) alice).probe().openConnections("bob"));
    }

    @Test
    void connectingToANameNoOneGoesByFailsAsUnknown() {
        Peer alice = peer("alice", new MutableDirectory());
        assertInstanceOf(UnknownPeerException.class, Await.failure(alice.connect("nobody")));
    }
}
