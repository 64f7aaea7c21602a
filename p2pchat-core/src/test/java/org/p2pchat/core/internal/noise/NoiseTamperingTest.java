package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile changes to handshake and transport messages: every single-bit flip, replays, reordering,
 * truncation, and low-order public keys. Each must end in a {@link NoiseException} and deliver
 * nothing. Keys are random per run; the handshake is deterministic for given keys, so the genuine
 * messages are made once and each case replays them with one change.
 */
class NoiseTamperingTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PROLOGUE = "p2pchat tampering test".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD_1 = new byte[0];
    private static final byte[] PAYLOAD_2 = "responder: bob 127.0.0.1:7002".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAYLOAD_3 = "initiator: alice 127.0.0.1:7001".getBytes(StandardCharsets.UTF_8);

    /**
     * Public keys of small order (libsodium's blocklist): 0, 1, two points of order 8, p-1, p and
     * p+1. X25519 ignores the top bit of a u-coordinate, so each also appears with it set.
     */
    private static final List<String> LOW_ORDER = List.of(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    private static X25519.Keys initStatic;
    private static X25519.Keys initEphemeral;
    private static X25519.Keys respStatic;
    private static X25519.Keys respEphemeral;
    private static byte[][] genuine;

    @BeforeAll
    static void genuineHandshake() {
        SecureRandom random = new SecureRandom();
        initStatic = X25519.generate(random);
        initEphemeral = X25519.generate(random);
        respStatic = X25519.generate(random);
        respEphemeral = X25519.generate(random);
        HandshakeXX init = initiator();
        HandshakeXX resp = responder();
        genuine = new byte[3][];
        genuine[0] = init.writeMessage(PAYLOAD_1);
        assertArrayEquals(PAYLOAD_1, resp.readMessage(genuine[0]));
        genuine[1] = resp.writeMessage(PAYLOAD_2);
        assertArrayEquals(PAYLOAD_2, init.readMessage(genuine[1]));
        genuine[2] = init.writeMessage(PAYLOAD_3);
        assertArrayEquals(PAYLOAD_3, resp.readMessage(genuine[2]));
        assertTrue(init.isComplete() && resp.isComplete());
        assertEquals(32 + PAYLOAD_1.length, genuine[0].length);
        assertEquals(96 + PAYLOAD_2.length, genuine[1].length);
        assertEquals(64 + PAYLOAD_3.length, genuine[2].length);
    }

    /** A fresh initiator with this run's keys; the ephemeral key is copied since split wipes it. */
    private static HandshakeXX initiator() {
        return new HandshakeXX(true, PROLOGUE, initStatic, copy(initEphemeral));
    }

    private static HandshakeXX responder() {
        return new HandshakeXX(false, PROLOGUE, respStatic, copy(respEphemeral));
    }

    private static X25519.Keys copy(X25519.Keys k) {
        return new X25519.Keys(k.privateKey().clone(), k.publicKey().clone());
    }

    private static byte[] flip(byte[] message, int bit) {
        byte[] m = message.clone();
        m[bit / 8] ^= (byte) (1 << (bit % 8));
        return m;
    }

    private static int bits(int message) {
        return genuine[message].length * 8;
    }

    // ---------------------------------------------------------------- handshake messages

    @Test
    void theThreeHandshakeMessagesTogetherOfferOverAThousandBitsToFlip() {
        assertTrue(bits(0) + bits(1) + bits(2) >= 1000, "bits: " + (bits(0) + bits(1) + bits(2)));
    }

    /**
     * Message 1 is not authenticated by itself (its ephemeral key and payload are in clear), but
     * both are hashed into h, so the responder's reply fails to authenticate at the initiator.
     */
    @Test
    void everyBitFlipInMessageOneMakesTheHandshakeFail() {
        for (int bit = 0; bit < bits(0); bit++) {
            HandshakeXX init = initiator();
            HandshakeXX resp = responder();
            init.writeMessage(PAYLOAD_1);
            byte[] tampered = flip(genuine[0], bit);
            try {
                resp.readMessage(tampered);
                byte[] reply = resp.writeMessage(PAYLOAD_2); // may refuse the altered key itself
                init.readMessage(reply);
                fail("bit " + bit + " of message 1: the initiator accepted the reply");
            } catch (NoiseException expected) {
                // the handshake failed
            }
            assertFalse(init.isComplete() || resp.isComplete(), "bit " + bit);
            assertEquals(null, init.remoteStaticKey(), "bit " + bit + ": nothing learnt");
        }
    }

    @Test
    void everyBitFlipInMessageTwoIsRefusedByTheInitiator() {
        for (int bit = 0; bit < bits(1); bit++) {
            HandshakeXX init = initiator();
            init.writeMessage(PAYLOAD_1);
            byte[] tampered = flip(genuine[1], bit);
            int b = bit;
            assertThrows(NoiseException.class, () -> init.readMessage(tampered), () -> "bit " + b);
            assertFalse(init.isComplete());
            assertFalse(init.isMyTurnToWrite(), "bit " + bit + ": the initiator may not go on");
        }
    }

    @Test
    void everyBitFlipInMessageThreeIsRefusedByTheResponder() {
        for (int bit = 0; bit < bits(2); bit++) {
            HandshakeXX resp = responder();
            resp.readMessage(genuine[0]);
            assertArrayEquals(genuine[1], resp.writeMessage(PAYLOAD_2));
            byte[] tampered = flip(genuine[2], bit);
            int b = bit;
            assertThrows(NoiseException.class, () -> resp.readMessage(tampered), () -> "bit " + b);
            assertFalse(resp.isComplete(), "bit " + bit);
        }
    }

    @Test
    void truncatedOrExtendedHandshakeMessagesAreRefused() {
        for (int cut = 0; cut < genuine[1].length; cut++) {
            HandshakeXX init = initiator();
            init.writeMessage(PAYLOAD_1);
            byte[] shorter = Arrays.copyOf(genuine[1], cut);
            assertThrows(NoiseException.class, () -> init.readMessage(shorter), "message 2 cut to " + cut);
        }
        for (int cut = 0; cut < genuine[2].length; cut++) {
            HandshakeXX resp = responder();
            resp.readMessage(genuine[0]);
            resp.writeMessage(PAYLOAD_2);
            byte[] shorter = Arrays.copyOf(genuine[2], cut);
            assertThrows(NoiseException.class, () -> resp.readMessage(shorter), "message 3 cut to " + cut);
        }
        for (int cut = 0; cut < 32; cut++) {
            byte[] shorter = Arrays.copyOf(genuine[0], cut);
            assertThrows(NoiseException.class, () -> responder().readMessage(shorter),
                    "message 1 cut to " + cut);
        }
        HandshakeXX init = initiator();
        init.writeMessage(PAYLOAD_1);
        byte[] longer = Arrays.copyOf(genuine[1], genuine[1].length + 1);
        assertThrows(NoiseException.class, () -> init.readMessage(longer), "message 2 + 1 byte");
    }

    @Test
    void aHandshakeMessageReplayedOrOutOfTurnIsRefused() {
        HandshakeXX resp = responder();
        resp.readMessage(genuine[0]);
        assertThrows(NoiseException.class, () -> resp.readMessage(genuine[0]),
                "message 1 replayed while the responder is to write");
        // Message 3 where message 2 is expected (the initiator never sees its own message).
        HandshakeXX init = initiator();
        init.writeMessage(PAYLOAD_1);
        assertThrows(NoiseException.class, () -> init.readMessage(genuine[2]));
        // A complete responder refuses anything more.
        HandshakeXX done = responder();
        done.readMessage(genuine[0]);
        done.writeMessage(PAYLOAD_2);
        done.readMessage(genuine[2]);
        assertThrows(NoiseException.class, () -> done.readMessage(genuine[2]));
    }

    // ---------------------------------------------------------------- low-order keys

    static Stream<String> lowOrderKeys() {
        return LOW_ORDER.stream().flatMap(k -> {
            byte[] high = HEX.parseHex(k);
            high[31] |= (byte) 0x80;
            return Stream.of(k, HEX.formatHex(high));
        });
    }

    @ParameterizedTest
    @MethodSource("lowOrderKeys")
    void aLowOrderEphemeralKeyInMessageOneIsRefusedWhenTheResponderReplies(String key) {
        HandshakeXX resp = responder();
        resp.readMessage(HEX.parseHex(key)); // message 1 carries only e; no DH yet
        assertThrows(NoiseException.class, () -> resp.writeMessage(PAYLOAD_2));
        assertFalse(resp.isComplete());
    }

    @ParameterizedTest
    @MethodSource("lowOrderKeys")
    void aLowOrderEphemeralKeyInMessageTwoIsRefusedByTheInitiator(String key) {
        HandshakeXX init = initiator();
        init.writeMessage(PAYLOAD_1);
        byte[] tampered = genuine[1].clone();
        System.arraycopy(HEX.parseHex(key), 0, tampered, 0, 32);
        assertThrows(NoiseException.class, () -> init.readMessage(tampered));
        assertEquals(null, init.remoteStaticKey());
    }

    @ParameterizedTest
    @MethodSource("lowOrderKeys")
    void aLowOrderStaticKeyFromTheResponderIsRefusedByTheInitiator(String key) {
        HandshakeXX init = initiator();
        HandshakeXX resp = new HandshakeXX(false, PROLOGUE,
                new X25519.Keys(respStatic.privateKey(), HEX.parseHex(key)), copy(respEphemeral));
        resp.readMessage(init.writeMessage(PAYLOAD_1));
        byte[] message2 = resp.writeMessage(PAYLOAD_2);
        assertThrows(NoiseException.class, () -> init.readMessage(message2));
        assertFalse(init.isComplete());
    }

    @ParameterizedTest
    @MethodSource("lowOrderKeys")
    void aLowOrderStaticKeyFromTheInitiatorIsRefusedByTheResponder(String key) {
        HandshakeXX init = new HandshakeXX(true, PROLOGUE,
                new X25519.Keys(initStatic.privateKey(), HEX.parseHex(key)), copy(initEphemeral));
        HandshakeXX resp = responder();
        resp.readMessage(init.writeMessage(PAYLOAD_1));
        init.readMessage(resp.writeMessage(PAYLOAD_2));
        byte[] message3 = init.writeMessage(PAYLOAD_3);
        assertThrows(NoiseException.class, () -> resp.readMessage(message3));
        assertFalse(resp.isComplete());
    }

    @Test
    void dhRefusesEveryLowOrderPublicKey() {
        byte[] priv = initStatic.privateKey();
        lowOrderKeys().forEach(k ->
                assertThrows(NoiseException.class, () -> X25519.dh(priv, HEX.parseHex(k)), k));
    }

    // ---------------------------------------------------------------- transport messages

    /** Transport ciphers from a genuine handshake: initiator's sender, responder's receiver. */
    private static CipherState[] transport() {
        HandshakeXX init = initiator();
        HandshakeXX resp = responder();
        resp.readMessage(init.writeMessage(PAYLOAD_1));
        init.readMessage(resp.writeMessage(PAYLOAD_2));
        resp.readMessage(init.writeMessage(PAYLOAD_3));
        assertArrayEquals(init.handshakeHash(), resp.handshakeHash());
        return new CipherState[] {init.split()[0], resp.split()[1]};
    }

    private static byte[] text(int i) {
        return ("transport message " + i + " with some more bytes to flip")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyBitFlipInATransportMessageIsRefusedWithoutAdvancingTheNonce() {
        CipherState[] c = transport();
        CipherState send = c[0];
        CipherState receive = c[1];
        int cases = 0;
        for (int i = 0; cases < 1000; i++) {
            byte[] plaintext = text(i);
            byte[] message = send.encryptWithAd(new byte[0], plaintext);
            for (int bit = 0; bit < message.length * 8; bit++, cases++) {
                byte[] tampered = flip(message, bit);
                long nonce = receive.nonce();
                int b = bit;
                NoiseException e = assertThrows(NoiseException.class,
                        () -> receive.decryptWithAd(new byte[0], tampered), () -> "bit " + b);
                assertInstanceOf(AEADBadTagException.class, e.getCause(),
                        () -> "bit " + b + " fails authentication, not for another reason");
                assertEquals(nonce, receive.nonce(), "a failed decryption keeps the nonce");
            }
            assertArrayEquals(plaintext, receive.decryptWithAd(new byte[0], message),
                    "the genuine message still decrypts after its tampered copies");
        }
    }

    @Test
    void everyBitFlipIsRefusedByTheBufferApiWhichWritesNothing() {
        CipherState[] c = transport();
        byte[] plaintext = text(0);
        ByteBuffer message = ByteBuffer.allocate(plaintext.length + CipherState.TAG_BYTES);
        c[0].encrypt(null, ByteBuffer.wrap(plaintext), message);
        byte[] wire = message.array();
        for (int bit = 0; bit < wire.length * 8; bit++) {
            ByteBuffer out = ByteBuffer.allocate(plaintext.length);
            ByteBuffer in = ByteBuffer.wrap(flip(wire, bit));
            int b = bit;
            NoiseException e = assertThrows(NoiseException.class, () -> c[1].decrypt(null, in, out),
                    () -> "bit " + b);
            assertInstanceOf(AEADBadTagException.class, e.getCause());
            assertEquals(0, out.position(), "nothing delivered");
            assertEquals(0, c[1].nonce());
        }
        ByteBuffer out = ByteBuffer.allocate(plaintext.length);
        c[1].decrypt(null, ByteBuffer.wrap(wire), out);
        assertArrayEquals(plaintext, out.array());
    }

    @Test
    void aReplayedTransportMessageIsRefused() {
        CipherState[] c = transport();
        byte[] first = c[0].encryptWithAd(new byte[0], text(0));
        byte[] second = c[0].encryptWithAd(new byte[0], text(1));
        assertArrayEquals(text(0), c[1].decryptWithAd(new byte[0], first));
        assertThrows(NoiseException.class, () -> c[1].decryptWithAd(new byte[0], first));
        assertArrayEquals(text(1), c[1].decryptWithAd(new byte[0], second));
        assertThrows(NoiseException.class, () -> c[1].decryptWithAd(new byte[0], second));
        assertThrows(NoiseException.class, () -> c[1].decryptWithAd(new byte[0], first));
        assertEquals(2, c[1].nonce());
    }

    @Test
    void swappedTransportMessagesAreRefused() {
        CipherState[] c = transport();
        byte[] first = c[0].encryptWithAd(new byte[0], text(0));
        byte[] second = c[0].encryptWithAd(new byte[0], text(1));
        assertThrows(NoiseException.class, () -> c[1].decryptWithAd(new byte[0], second),
                "the second message arriving first");
        assertEquals(0, c[1].nonce());
        assertArrayEquals(text(0), c[1].decryptWithAd(new byte[0], first));
        assertArrayEquals(text(1), c[1].decryptWithAd(new byte[0], second));
    }

    @Test
    void aMessageForTheOtherDirectionIsRefused() {
        HandshakeXX init = initiator();
        HandshakeXX resp = responder();
        resp.readMessage(init.writeMessage(PAYLOAD_1));
        init.readMessage(resp.writeMessage(PAYLOAD_2));
        resp.readMessage(init.writeMessage(PAYLOAD_3));
        CipherState[] i = init.split();
        byte[] reflected = i[0].encryptWithAd(new byte[0], text(0));
        assertThrows(NoiseException.class, () -> i[1].decryptWithAd(new byte[0], reflected),
                "a message reflected back to its sender");
    }

    @Test
    void truncatedTransportMessagesAreRefused() {
        CipherState[] c = transport();
        byte[] message = c[0].encryptWithAd(new byte[0], text(0));
        for (int cut = 0; cut < message.length; cut++) {
            byte[] shorter = Arrays.copyOf(message, cut);
            assertThrows(NoiseException.class, () -> c[1].decryptWithAd(new byte[0], shorter),
                    "cut to " + cut + (cut < CipherState.TAG_BYTES ? " (shorter than the tag)" : ""));
            ByteBuffer out = ByteBuffer.allocate(message.length);
            assertThrows(NoiseException.class,
                    () -> c[1].decrypt(null, ByteBuffer.wrap(shorter), out), "buffer API, " + cut);
            assertEquals(0, out.position());
        }
        assertEquals(0, c[1].nonce());
        byte[] extended = Arrays.copyOf(message, message.length + 1);
        assertThrows(NoiseException.class, () -> c[1].decryptWithAd(new byte[0], extended));
        assertArrayEquals(text(0), c[1].decryptWithAd(new byte[0], message));
    }
}
