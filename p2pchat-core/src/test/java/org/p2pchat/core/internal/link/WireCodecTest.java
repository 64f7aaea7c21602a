package org.p2pchat.core.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.noise.CipherState;

/** HELLO and REFUSE payloads byte for byte, as PROTOCOL.md lays them out. */
class WireCodecTest {
    private static final long TWO_TO_31 = 1L << 31;
    private static final long TWO_TO_32 = 1L << 32;

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Test
    void aHelloEncodesExactlyAsTheProtocolLaysItOut() {
        byte[] encoded = bytes(WireCodec.hello("alice", PeerAddress.parse("127.0.0.1:7001"), 7,
                1 << 20, new byte[32]));
        assertEquals(ByteBuffer.wrap(Hellos.current("alice", 1 << 20, new byte[32])), ByteBuffer.wrap(encoded));
    }

    @Test
    void aHelloDecodesToWhatWasEncoded() {
        WireCodec.Hello hello = WireCodec.readHelloPayload(bytes(WireCodec.hello("bob",
                PeerAddress.parse("[::1]:7002"), -2, 64, new byte[32])));
        assertEquals("bob", hello.name());
        assertEquals(PeerAddress.parse("[::1]:7002"), hello.listenAddress());
        assertEquals(-2, hello.epoch(), "the epoch is 64 bits, all of them kept");
        assertEquals(64, hello.maxFrameBytes());
    }

    @ParameterizedTest(name = "maxFrame {0}")
    @ValueSource(longs = {64, TWO_TO_31 - 2, TWO_TO_31 - 1})
    void aFrameLimitThatFitsAnIntIsReadAsAnnounced(long maxFrame) {
        assertEquals(maxFrame, WireCodec.readHelloPayload(Hellos.current("alice", maxFrame, new byte[32]))
                .maxFrameBytes());
    }

    @ParameterizedTest(name = "maxFrame {0}")
    @ValueSource(longs = {TWO_TO_31, TWO_TO_31 + 1, TWO_TO_32 - 2, TWO_TO_32 - 1})
    void aFrameLimitOf2To31OrMoreIsAcceptedAsTheLargestFrameThereIs(long maxFrame) {
        assertEquals(Integer.MAX_VALUE, WireCodec.readHelloPayload(Hellos.current("alice", maxFrame, new byte[32]))
                .maxFrameBytes());
    }

    @ParameterizedTest(name = "maxFrame {0}")
    @ValueSource(longs = {0, 1, 63})
    void aFrameLimitBelow64IsRefused(long maxFrame) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> WireCodec.readHelloPayload(Hellos.current("alice", maxFrame, new byte[32])));
        assertTrue(e.getMessage().contains("frame limit of " + maxFrame + " bytes"),
                e.getMessage());
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 6, 255})
    void aHelloOfAnotherVersionIsRefusedNamingBothVersions(int version) {
        byte[] hello = Hellos.withVersion(version, "alice", 1 << 20);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> WireCodec.readHelloPayload(hello));
        assertEquals("HELLO of p2pchat protocol version " + version
                + "; this peer speaks version 5", e.getMessage());
    }

    @Test
    void theVersionOfAHelloIsReadWhateverItsLayout() {
        assertEquals(2, WireCodec.helloVersion(Hellos.v2("alice")));
        assertEquals(WireCodec.VERSION, WireCodec.helloVersion(Hellos.current("alice", 64, new byte[32])));
        assertEquals(200, WireCodec.helloVersion(new byte[] {1, (byte) 200}));
    }

    @Test
    void aPayloadWithoutAHelloVersionIsRefused() {
        assertThrows(ProtocolException.class, () -> WireCodec.helloVersion(new byte[0]));
        assertThrows(ProtocolException.class, () -> WireCodec.helloVersion(new byte[] {1}));
        assertThrows(ProtocolException.class, () -> WireCodec.helloVersion(new byte[] {2, 3}));
    }

    @Test
    void theRefusalOfAnOlderVersionNamesBothAndAsksForAnUpgrade() {
        ByteBuffer refuse = WireCodec.refuseVersion(2);
        assertEquals(WireCodec.REFUSE, refuse.get());
        assertEquals("p2pchat protocol 5 here, yours is 2: upgrade",
                StandardCharsets.UTF_8.decode(refuse).toString());
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0, 1, 2, 3, 5, 99, 255})
    void theRefusalOfAnyOtherVersionNamesBothAndFitsTheSmallestFrameLimit(int version) {
        ByteBuffer refuse = WireCodec.refuseVersion(version);
        assertTrue(refuse.remaining() + CipherState.TAG_BYTES <= WireCodec.MIN_FRAME_BYTES,
                refuse.remaining() + " bytes");
        refuse.get();
        String reason = StandardCharsets.UTF_8.decode(refuse).toString();
        assertTrue(reason.startsWith("p2pchat protocol 5 here, yours is " + version), reason);
    }

    @Test
    void aRefusalReasonIsCutToWhatTheReceiverAccepts() {
        String reason = "x".repeat(5000);
        assertEquals(1 + 1024, WireCodec.refuse(reason, 1 << 20).remaining(), "at most 1 KiB");
        assertEquals(48, WireCodec.refuse(reason, 48).remaining(), "within the receiver's frames");
    }

    @Test
    void aRefusalReasonIsCutBeforeACharacterItCannotHoldWhole() throws CharacterCodingException {
        String reason = "x" + "\u00e9".repeat(600); // 1 + 1,200 bytes: 1,024 would split one
        ByteBuffer refuse = WireCodec.refuse(reason, 1 << 20);
        refuse.get();
        assertEquals(1023, refuse.remaining());
        String sent = StandardCharsets.UTF_8.newDecoder().decode(refuse).toString();
        assertEquals(reason.substring(0, 512), sent);

        ByteBuffer small = WireCodec.refuse("\u65e5\u672c\u8a9e", 1 + 5); // 3 bytes each
        small.get();
        assertEquals("\u65e5", StandardCharsets.UTF_8.newDecoder().decode(small).toString());
    }
}
