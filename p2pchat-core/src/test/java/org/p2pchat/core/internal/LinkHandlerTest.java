package org.p2pchat.core.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.internal.FakeLinkSessions.RecordingConnection;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.SecureChannel;

/**
 * One accepted connection of a running peer ("bob"), driven frame by frame from the test thread
 * as its event loop would: the test plays the friend ("alice") with a real Noise handshake.
 * Bob's listener calls are queued and never run, so what he took in stays in his backlog.
 */
class LinkHandlerTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Queue<Runnable> heldCallbacks = new ConcurrentLinkedQueue<>();
    private final ChatNode bob = (ChatNode) P2pChat.builder("bob").transport("local")
            .listenOn(PeerAddress.loopback(0)).callbackExecutor(heldCallbacks::add).start();
    /** Bob's end: what he writes is recorded. */
    private final RecordingConnection toAlice = new RecordingConnection(1);
    /** Alice's end: what she writes is handed to bob's handler by the test. */
    private final RecordingConnection toBob = new RecordingConnection(-1);
    private final SecureChannel alice = new SecureChannel(toBob, true, Identity.ephemeral(RANDOM),
            RANDOM, SecureChannel.DEFAULT_REKEY_INTERVAL);
    private final LinkHandler handler = LinkHandler.acceptor(bob, toAlice);

    @AfterEach
    void closeBob() {
        bob.close();
    }

    /** Hands bob the one frame alice wrote. */
    private void deliverToBob() {
        handler.onFrame(toAlice, ByteBuffer.wrap(toBob.takeOnly()));
    }

    /** Runs the handshake up to bob's ACCEPT and first ACK. */
    private void handshake() {
        alice.writeHandshake(new byte[0]);
        deliverToBob();
        alice.readHandshake(ByteBuffer.wrap(toAlice.takeOnly()));
        ByteBuffer hello = WireCodec.hello("alice", PeerAddress.loopback(7002), 100, 1 << 20);
        byte[] helloBytes = new byte[hello.remaining()];
        hello.get(helloBytes);
        alice.writeHandshake(helloBytes);
        deliverToBob();
        assertEquals(2, toAlice.frameCount(), "ACCEPT and ACK");
    }

    private void sendData(long first, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(MessageFrames.MAX_DATA_HEADER
                + MessageFrames.MAX_LENGTH_PREFIX + utf8.length);
        MessageFrames.putDataHeader(plain, first, first);
        MessageFrames.putMessage(plain, utf8);
        alice.write(plain.flip());
        deliverToBob();
    }

    @Test
    void aThreadThatHandsTheHandlerFramesIsThePeersOnlyWhileItDoes() {
        handshake();
        assertFalse(NodeThreads.current(), "close() on this thread may block again");
    }

    @Test
    void dataReadOnAConnectionThisPeerIsClosingIsLeftForTheNextConnection() {
        handshake();
        sendData(1, "one");
        long backlog = bob.backlogBytes("alice");
        assertTrue(backlog > 0, "the first message was taken in");

        // Closed by this peer (alice restarted, say) while the frame was on its way.
        toAlice.close();
        sendData(2, "two");

        assertEquals(backlog, bob.backlogBytes("alice"), "nothing taken from a closing connection");
    }

    @Test
    void aHandshakeWriteOnAConnectionAbortedMeanwhileClosesItQuietly() {
        toAlice.failWrites(new ConnectionClosedException(Reason.HEARTBEAT_TIMEOUT,
                "aborted by another thread (test)"));
        alice.writeHandshake(new byte[0]);

        assertDoesNotThrow(this::deliverToBob, "nothing for the transport to log as a bug");

        assertEquals(Reason.IO_ERROR, toAlice.abortReason().reason());
    }
}
