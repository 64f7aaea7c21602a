package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.node.TransportSelector;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/** Identity, trust and encryption of the sessions between peers. */
class SecureSessionsTest {
    private final MutableDirectory directory = new MutableDirectory();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path state;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Records messages and keys trusted on first use. */
    static final class Listener implements MessageListener {
        final Inbox inbox = new Inbox();
        final BlockingQueue<String> trusted = new LinkedBlockingQueue<>();
        final BlockingQueue<String> refused = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(ChatMessage message) {
            inbox.onMessage(message);
        }

        @Override
        public void onPeerKeyTrusted(String peerName, PeerKey key) {
            trusted.add(peerName + " " + key);
        }

        @Override
        public void onPeerRefused(String peerName, PeerIdentityException reason) {
            refused.add(peerName + ": " + reason.getMessage());
        }
    }

    private Peer peer(String name, MessageListener listener, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport("local")
                .listenOn(PeerAddress.loopback(0)).directory(directory).listener(listener)).start();
        toClose.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    private static PeerKey randomKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return PeerKey.of(b);
    }

    @Test
    void noMessageTextOrNameCrossesTheWireInTheClear() {
        WireTap tap = new WireTap();
        Listener bob = new Listener();
        Peer alice = peer("alice-the-sender", m -> { }, b -> b.transport(tap));
        peer("bob", bob, b -> b.transport(tap));
        Await.result(alice.send("bob", "attack at dawn"));
        assertEquals("attack at dawn", bob.inbox.next().text());
        assertFalse(tap.frames.isEmpty());
        for (byte[] frame : tap.frames) {
            String seen = new String(frame, StandardCharsets.ISO_8859_1);
            assertFalse(seen.contains("attack"), "message text in the clear");
            assertFalse(seen.contains("alice-the-sender"), "sender's name in the clear");
        }
    }

    @Test
    void eachSideLearnsTheOthersKeyAndIsToldOfKeysTrustedOnFirstUse() {
        Listener aliceListener = new Listener();
        Listener bobListener = new Listener();
        Peer alice = peer("alice", aliceListener, b -> b);
        Peer bob = peer("bob", bobListener, b -> b);
        Await.result(alice.send("bob", "hi"));
        bobListener.inbox.next();
        assertEquals(bob.publicKey(), alice.peerKey("bob").orElseThrow());
        assertEquals(alice.publicKey(), bob.peerKey("alice").orElseThrow());
        assertEquals("bob " + bob.publicKey(), Await.next(aliceListener.trusted));
        assertEquals("alice " + alice.publicKey(), Await.next(bobListener.trusted));
        Await.result(bob.send("alice", "again"));
        aliceListener.inbox.next();
        assertTrue(aliceListener.trusted.isEmpty(), "told once, not per connection");
    }

    @Test
    void aFriendWhoseKeyDoesNotMatchThePinnedOneIsRefused() {
        Listener aliceListener = new Listener();
        Listener bobListener = new Listener();
        Peer alice = peer("alice", aliceListener, b -> b);
        Peer bob = peer("bob", bobListener, b -> b);
        directory.put("bob", bob.listenAddress(), randomKey());
        Throwable e = Await.failure(alice.send("bob", "are you bob?"));
        assertInstanceOf(PeerIdentityException.class, e);
        assertTrue(e.getMessage().contains("pinned"), e.getMessage());
        assertTrue(bobListener.inbox.messages.isEmpty());
        assertTrue(aliceListener.refused.isEmpty(), "the failed send reports it, not the listener");
    }

    @Test
    void aCallerWhoseKeyDoesNotMatchTheOnePinnedByTheCalleeIsRefusedOnBothSides() {
        Listener bobListener = new Listener();
        Peer alice = peer("alice", m -> { }, b -> b);
        PeerKey pinnedByBob = randomKey();
        directory.put("alice", alice.listenAddress(), pinnedByBob);
        peer("bob", bobListener, b -> b);
        Throwable e = Await.failure(alice.send("bob", "let me in"));
        assertInstanceOf(PeerIdentityException.class, e);
        assertEquals("bob refused this peer: 'alice' presented key "
                + alice.publicKey().fingerprint() + ", which bob does not trust for that name"
                + " (pinned or remembered); if your key changed, ask bob to update it",
                e.getMessage());
        assertFalse(e.getMessage().contains(pinnedByBob.fingerprint()),
                "the caller is not told which key bob trusts");
        assertTrue(bobListener.inbox.messages.isEmpty());
        String told = Await.next(bobListener.refused);
        assertTrue(told.startsWith("alice: 'alice' presented key " + alice.publicKey().fingerprint()),
                told);
    }

    @Test
    void aPinnedKeyThatMatchesIsAcceptedWithoutAFirstUseNotice() {
        Listener aliceListener = new Listener();
        Listener bobListener = new Listener();
        Peer alice = peer("alice", aliceListener, b -> b);
        Peer bob = peer("bob", bobListener, b -> b);
        directory.put("bob", bob.listenAddress(), bob.publicKey());
        Await.result(alice.send("bob", "pinned"));
        assertEquals("pinned", bobListener.inbox.next().text());
        assertTrue(aliceListener.trusted.isEmpty());
    }

    @Test
    void whoeverAnswersAtAFriendsAddressMustBeThatFriend() {
        Peer alice = peer("alice", m -> { }, b -> b);
        Peer carol = peer("carol", m -> { }, b -> b);
        directory.put("bob", carol.listenAddress());
        Throwable e = Await.failure(alice.send("bob", "bob?"));
        assertInstanceOf(PeerIdentityException.class, e);
        assertTrue(e.getMessage().contains("'carol' answered"), e.getMessage());
    }

    @Test
    void keysTrustedOnFirstUseAreRememberedAcrossARestartAndAChangedKeyIsRefused() throws Exception {
        Path aliceState = state.resolve("alice");
        Peer alice = peer("alice", m -> { }, b -> b.stateDirectory(aliceState));
        PeerKey aliceKey = alice.publicKey();
        Listener bobListener = new Listener();
        Peer bob = peer("bob", bobListener, b -> b.stateDirectory(state.resolve("bob")));
        Await.result(alice.send("bob", "first"));
        bobListener.inbox.next();
        alice.close();
        bob.close();

        Peer alice2 = peer("alice", m -> { }, b -> b.stateDirectory(aliceState));
        assertEquals(aliceKey, alice2.publicKey(), "the identity survives a restart");
        assertEquals(bob.publicKey(), alice2.peerKey("bob").orElseThrow(), "so does trust");

        Peer impostor = peer("bob", m -> { }, b -> b.stateDirectory(state.resolve("impostor")));
        assertNotEquals(bob.publicKey(), impostor.publicKey());
        Throwable e = Await.failure(alice2.send("bob", "is that you?"));
        assertInstanceOf(PeerIdentityException.class, e);
        assertTrue(e.getMessage().contains("remembered"), e.getMessage());
        assertEquals(ConnectionState.DISCONNECTED, alice2.connectionState("bob"));
    }

    @Test
    void theIdentityFileIsReadableByItsOwnerOnly() throws Exception {
        Path dir = state.resolve("owner-only");
        peer("alice", m -> { }, b -> b.stateDirectory(dir));
        Path key = dir.resolve("identity.key");
        assertTrue(Files.exists(key));
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
    }

    @Test
    void messagesKeepFlowingAcrossManyRekeys() {
        Listener aliceListener = new Listener();
        Listener bobListener = new Listener();
        Peer alice = peer("alice", aliceListener, b -> b.rekeyInterval(3));
        Peer bob = peer("bob", bobListener, b -> b.rekeyInterval(3));
        for (int i = 0; i < 50; i++) {
            alice.send("bob", "a" + i);
            bob.send("alice", "b" + i);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("a" + i, bobListener.inbox.next().text());
        }
        int fromBob = 0;
        for (int i = 0; i < 50; i++) {
            String t = aliceListener.inbox.next().text();
            if (t.startsWith("b")) {
                assertEquals("b" + fromBob++, t);
            }
        }
    }

    @Test
    void aConnectionThatStaysSilentIsClosedAtTheHandshakeTimeout() {
        Peer bob = peer("bob", m -> { }, b -> b.handshakeTimeout(Duration.ofMillis(200)));
        Transport raw = TransportSelector.discover("local").create(TransportOptions.builder().build());
        toClose.add(raw);
        RecordingHandler silent = RecordingHandler.recording();
        Await.result(raw.connect(bob.listenAddress(), silent));
        silent.awaitClose();
    }

    @Test
    void acceptedConnectionsBeyondTheHandshakeCapAreClosedAtOnce() {
        Peer bob = peer("bob", m -> { }, b -> b.maxHandshakes(2));
        Transport raw = TransportSelector.discover("local").create(TransportOptions.builder().build());
        toClose.add(raw);
        List<RecordingHandler> silent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingHandler h = RecordingHandler.recording();
            Connection c = Await.result(raw.connect(bob.listenAddress(), h));
            assertTrue(c.id() >= 0);
            silent.add(h);
        }
        silent.get(2).awaitClose();
        assertFalse(silent.get(0).closed.isDone());
        assertFalse(silent.get(1).closed.isDone());
    }
}
