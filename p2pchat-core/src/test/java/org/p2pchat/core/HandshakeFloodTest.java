package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.Await;

/**
 * Strangers from other addresses (127.0.0.2 and up; the friend calls from 127.0.0.1, where the
 * table lists it) hold every handshake place with slow handshakes: each sends a genuine first
 * message, which costs bob its X25519 work and an answer, then says nothing more. The friend
 * still gets in at once.
 */
class HandshakeFloodTest {
    private static final int STRANGER_SOURCES = 40;
    private static final int PER_SOURCE = 4;

    private final MutableDirectory directory = new MutableDirectory();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Peer peer(String name, Inbox inbox) {
        Peer p = P2pChat.builder(name).transport("nio").listenOn(PeerAddress.loopback(0))
                .directory(directory).listener(inbox).handshakeTimeout(Duration.ofSeconds(60))
                .start();
        toClose.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    /** A connection from {@code source} that sends handshake message 1 and then nothing. */
    private Socket slowHandshake(String source, InetSocketAddress bob) throws IOException {
        Socket s = new Socket();
        toClose.add(s);
        s.bind(new InetSocketAddress(source, 0));
        s.connect(bob, (int) Await.DEFAULT.toMillis());
        byte[] ephemeral = new byte[32];
        new SecureRandom().nextBytes(ephemeral);
        s.getOutputStream().write(ByteBuffer.allocate(36).putInt(32).put(ephemeral).array());
        s.getOutputStream().flush();
        return s;
    }

    /** Whether bob answered message 1 (true) or closed the connection at once (false). */
    private static boolean answered(Socket s) throws IOException {
        s.setSoTimeout((int) Await.DEFAULT.toMillis());
        InputStream in = s.getInputStream();
        try {
            return in.read() >= 0;
        } catch (java.net.SocketException reset) {
            return false;
        }
    }

    @Test
    void slowHandshakesFromManyStrangersHoldEveryPlaceYetAFriendGetsInAtOnce() throws Exception {
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox);
        InetSocketAddress target = bob.listenAddress().toSocketAddress();
        int answered = 0;
        int refused = 0;
        for (int source = 0; source < STRANGER_SOURCES; source++) {
            for (int i = 0; i < PER_SOURCE; i++) {
                Socket s = slowHandshake("127.0.0." + (2 + source), target);
                if (answered(s)) {
                    answered++;
                } else {
                    refused++;
                }
            }
        }
        assertTrue(answered <= 32, answered + " slow handshakes held places; the most is 32");
        assertTrue(refused >= STRANGER_SOURCES * PER_SOURCE - 32, refused + " refused");

        Peer alice = peer("alice", new Inbox());
        Await.result(alice.send("bob", "let me in"));
        assertEquals("let me in", bobInbox.next().text());
        assertEquals(1,
                ((org.p2pchat.core.internal.node.ChatNode) alice).probe().openConnections("bob"));
    }
}
