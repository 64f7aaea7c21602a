package org.p2pchat.core.internal.link;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.internal.delivery.FakeLinkSessions.RecordingConnection;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.testkit.Await;

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
    private final Identity aliceIdentity = Identity.ephemeral(RANDOM);
    private final SecureChannel alice = new SecureChannel(toBob, true, aliceIdentity,
            RANDOM, SecureChannel.DEFAULT_REKEY_INTERVAL);
    private final LinkHandler handler = LinkHandler.acceptor(bob.linkSide(), toAlice);

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
        ByteBuffer hello = WireCodec.hello("alice", PeerAddress.loopback(7002), 100, 1 << 20,
                aliceIdentity.signer().publicKey());
        byte[] helloBytes = new byte[hello.remaining()];
        hello.get(helloBytes);
        handshakeTo3(helloBytes);
        assertEquals(2, toAlice.frameCount(), "ACCEPT and ACK");
    }

    /** Runs the handshake up to and including message 3, which carries {@code hello}. */
    private void handshakeTo3(byte[] hello) {
        alice.writeHandshake(new byte[0]);
        deliverToBob();
        alice.readHandshake(ByteBuffer.wrap(toAlice.takeOnly()));
        alice.writeHandshake(hello);
        deliverToBob();
    }

    /** Opens, as alice, the frame bob wrote at {@code index} (frames must be opened in order). */
    private ByteBuffer openFromBob(int index) {
        return alice.open(ByteBuffer.wrap(toAlice.frame(index)));
    }

    private static String rest(ByteBuffer plain) {
        return StandardCharsets.UTF_8.decode(plain).toString();
    }

    private void sendData(long first, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(MessageFrames.MAX_DATA_HEADER
                + MessageFrames.MAX_LENGTH_PREFIX + utf8.length);
        MessageFrames.putDataHeader(plain, first, first);
        MessageFrames.putMessage(plain, MessageFrames.KIND_TEXT, utf8);
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
        long backlog = bob.probe().backlogBytes("alice");
        assertTrue(backlog > 0, "the first message was taken in");

        // Closed by this peer (alice restarted, say) while the frame was on its way.
        toAlice.close();
        sendData(2, "two");

        assertEquals(backlog, bob.probe().backlogBytes("alice"),
                "nothing taken from a closing connection");
    }

    @Test
    void aHandshakeWriteOnAConnectionAbortedMeanwhileClosesItQuietly() {
        toAlice.failWrites(new ConnectionClosedException(Reason.HEARTBEAT_TIMEOUT,
                "aborted by another thread (test)"));
        alice.writeHandshake(new byte[0]);

        assertDoesNotThrow(this::deliverToBob, "nothing for the transport to log as a bug");

        assertEquals(Reason.IO_ERROR, toAlice.abortReason().reason());
    }

    // ---- the HELLO of message 3 ----------------------------------------------------------------

    @ParameterizedTest(name = "maxFrame {0}")
    @ValueSource(longs = {64, (1L << 31) - 2, (1L << 31) - 1, 1L << 31, (1L << 31) + 1,
        (1L << 32) - 1})
    void aCallerAnnouncingAnyFrameLimitFrom64To2To32Minus1IsAccepted(long maxFrame) {
        handshakeTo3(Hellos.current("alice", maxFrame, aliceIdentity.signer().publicKey()));

        assertEquals(2, toAlice.frameCount(), "ACCEPT and ACK");
        assertEquals(WireCodec.ACCEPT, openFromBob(0).get());
        assertEquals(MessageFrames.ACK, openFromBob(1).get());
    }

    /**
     * A limit of 2^31 or more means no limit beyond this peer's own: bob then sends alice the
     * largest message his own 1 MiB frames hold, in one frame.
     */
    @ParameterizedTest(name = "maxFrame {0}")
    @ValueSource(longs = {(1L << 31) - 1, 1L << 31, (1L << 31) + 1, (1L << 32) - 1})
    void aCallerAnnouncingAFrameLimitOf2To31OrMoreGetsTheLargestMessagesThisPeerSends(
            long maxFrame) {
        handshakeTo3(Hellos.current("alice", maxFrame, aliceIdentity.signer().publicKey()));
        assertEquals(2, toAlice.frameCount(), "ACCEPT and ACK");
        openFromBob(0);
        openFromBob(1);
        ByteBuffer ack = ByteBuffer.allocate(1 + 9 + 9);
        MessageFrames.putAck(ack, 0, 4L << 20);
        alice.write(ack.flip());
        deliverToBob();

        String largest = "x".repeat(ChatNode.maxTextBytes(1 << 20));
        bob.send("alice", largest);

        Await.until("bob's DATA frame", () -> toAlice.frameCount() == 3);
        ByteBuffer data = openFromBob(2);
        assertEquals(MessageFrames.DATA, data.get());
        assertEquals(1, MessageFrames.readDataHeader(data).firstSeq());
        assertEquals(MessageFrames.KIND_BYTES + largest.length(), MessageFrames.readMessageLength(data));
    }

    @ParameterizedTest(name = "maxFrame {0}")
    @ValueSource(longs = {0, 63})
    void aCallerAnnouncingAFrameLimitBelow64IsClosedWithoutAnAnswer(long maxFrame) {
        handshakeTo3(Hellos.current("alice", maxFrame, aliceIdentity.signer().publicKey()));

        assertEquals(0, toAlice.frameCount());
        assertEquals(Reason.PROTOCOL_ERROR, toAlice.abortReason().reason());
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 6, 255})
    void aCallerOfAnotherProtocolVersionIsRefusedWithAReasonNamingBothVersions(int version) {
        handshakeTo3(version == 2 ? Hellos.v2("alice")
                : Hellos.withVersion(version, "alice", 1 << 20));

        assertEquals(1, toAlice.frameCount(), "one REFUSE");
        ByteBuffer refuse = openFromBob(0);
        assertEquals(WireCodec.REFUSE, refuse.get());
        String reason = rest(refuse);
        assertTrue(reason.startsWith("p2pchat protocol 5 here, yours is " + version), reason);
        assertFalse(toAlice.isOpen(), "closed after the REFUSE");
        assertNull(toAlice.abortReason(), "closed, not aborted, so that the REFUSE goes out");
        assertFalse(bob.probe().hasLink("alice"), "nothing of the HELLO was taken in");
    }

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(strings = {"", "01", "0203", "05"})
    void aMessage3WhoseHelloVersionCannotBeReadIsClosedWithoutAnAnswer(String hex) {
        handshakeTo3(HexFormat.of().parseHex(hex));

        assertEquals(0, toAlice.frameCount());
        assertEquals(Reason.PROTOCOL_ERROR, toAlice.abortReason().reason());
    }
}
