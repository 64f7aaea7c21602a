package org.p2pchat.core.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.internal.node.TransportSelector;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * A running peer, bob, against a hand-written peer that speaks the handshake of PROTOCOL.md but
 * sends a version 2 HELLO, over the {@code local} transport: what each side is told.
 */
class ProtocolVersionsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Peer bob(PeerDirectory directory) {
        Peer bob = P2pChat.builder("bob").transport("local").listenOn(PeerAddress.loopback(0))
                .directory(directory).start();
        toClose.add(bob);
        return bob;
    }

    private Transport rawTransport() {
        Transport raw = TransportSelector.discover("local")
                .create(TransportOptions.builder().build());
        toClose.add(raw);
        return raw;
    }

    /**
     * The caller's HELLO in message 3 is version 2: bob answers with a sealed REFUSE naming both
     * versions, which a version 2 caller reads where it expects ACCEPT or REFUSE, then closes.
     */
    @Test
    void aCallerWithAVersion2HelloIsToldBothVersionsBeforeTheConnectionCloses() {
        Peer bob = bob(PeerDirectory.of());
        RecordingHandler caller = RecordingHandler.recording();
        Connection c = Await.result(rawTransport().connect(bob.listenAddress(), caller));
        SecureChannel v2 = new SecureChannel(c, true, Identity.ephemeral(RANDOM), RANDOM,
                SecureChannel.DEFAULT_REKEY_INTERVAL);

        v2.writeHandshake(new byte[0]);
        v2.readHandshake(ByteBuffer.wrap(Await.next(caller.frames)));
        v2.writeHandshake(Hellos.v2("alice"));

        ByteBuffer refuse = v2.open(ByteBuffer.wrap(Await.next(caller.frames)));
        assertEquals(WireCodec.REFUSE, refuse.get());
        assertEquals("p2pchat protocol 5 here, yours is 2: upgrade",
                StandardCharsets.UTF_8.decode(refuse).toString());
        caller.awaitClose();
        assertTrue(caller.frames.isEmpty(), "nothing after the REFUSE");
    }

    /**
     * Bob calls alice, whose HELLO in message 2 is version 2: bob closes without message 3, so
     * alice learns neither his name nor his key, and the failure bob reports names both versions.
     */
    @Test
    void aFriendAnsweringWithAVersion2HelloIsClosedBeforeThisPeerNamesItself() {
        BlockingQueue<Version2Responder> answered = new LinkedBlockingQueue<>();
        PeerAddress alice = Await.result(rawTransport().listen(PeerAddress.loopback(0), c -> {
            Version2Responder r = new Version2Responder();
            answered.add(r);
            return r;
        }));
        Peer bob = bob(PeerDirectory.of(new PeerEntry("alice", alice)));

        bob.send("alice", "are you there?");

        Version2Responder first = Await.next(answered);
        Await.result(first.closed);
        assertTrue(first.afterMessage2.isEmpty(), "bob sent handshake message 3 to a stranger");
        Await.until("bob's report of the failure", () -> bob.connectionFailure("alice")
                .map(e -> e.getMessage().contains(
                        "HELLO of p2pchat protocol version 2; this peer speaks version 5"))
                .orElse(false));
    }

    /**
     * Answers handshake message 1 as a version 2 responder did, with a version 2 HELLO, on the
     * transport's loop; keeps whatever arrives after that.
     */
    private static final class Version2Responder implements ConnectionHandler {
        final BlockingQueue<byte[]> afterMessage2 = new LinkedBlockingQueue<>();
        final CompletableFuture<ConnectionClosedException> closed = new CompletableFuture<>();
        private SecureChannel channel;

        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            if (channel == null) {
                channel = new SecureChannel(connection, false, Identity.ephemeral(RANDOM), RANDOM,
                        SecureChannel.DEFAULT_REKEY_INTERVAL);
                channel.readHandshake(frame);
                channel.writeHandshake(Hellos.v2("alice"));
            } else {
                byte[] copy = new byte[frame.remaining()];
                frame.get(copy);
                afterMessage2.add(copy);
            }
        }

        @Override
        public void onClosed(Connection connection, ConnectionClosedException reason) {
            closed.complete(reason);
        }
    }
}
