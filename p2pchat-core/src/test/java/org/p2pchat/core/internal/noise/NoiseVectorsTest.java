package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published Noise test vectors (cacophony and snow) for Noise_XX_25519_ChaChaPoly_SHA256:
 * every handshake and transport message byte for byte, and the handshake hash where given. The
 * vectors are a test resource beside this class; {@code noise-vectors-SOURCE.txt} there names
 * where they come from and their licences (cacophony: public domain; snow: Apache-2.0 or MIT).
 */
class NoiseVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String VECTORS = "noise-vectors-xx-ik-25519-chachapoly-sha256.json";

    static Stream<Named<JsonNode>> xxVectors() throws Exception {
        JsonNode root;
        try (InputStream in = NoiseVectorsTest.class.getResourceAsStream(VECTORS)) {
            assertTrue(in != null, "test resource " + VECTORS + " is missing");
            root = new ObjectMapper().readTree(in);
        }
        List<Named<JsonNode>> xx = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            if (v.get("protocol_name").asText().equals(HandshakeXX.PROTOCOL_NAME)) {
                xx.add(Named.of(v.get("_from").asText(), v));
            }
        }
        assertEquals(2, xx.size(), "the file has the cacophony and the snow XX vectors");
        return xx.stream();
    }

    private static byte[] hex(JsonNode v, String field) {
        return HEX.parseHex(v.get(field).asText());
    }

    @ParameterizedTest
    @MethodSource("xxVectors")
    void everyMessageMatchesTheVector(JsonNode v) {
        HandshakeXX init = new HandshakeXX(true, hex(v, "init_prologue"),
                X25519.fromPrivate(hex(v, "init_static")), X25519.fromPrivate(hex(v, "init_ephemeral")));
        HandshakeXX resp = new HandshakeXX(false, hex(v, "resp_prologue"),
                X25519.fromPrivate(hex(v, "resp_static")), X25519.fromPrivate(hex(v, "resp_ephemeral")));
        CipherState[] initCiphers = null;
        CipherState[] respCiphers = null;
        int i = 0;
        for (JsonNode m : v.get("messages")) {
            byte[] payload = hex(m, "payload");
            byte[] expected = hex(m, "ciphertext");
            boolean initiatorSends = i % 2 == 0;
            if (!init.isComplete()) {
                HandshakeXX sender = initiatorSends ? init : resp;
                HandshakeXX receiver = initiatorSends ? resp : init;
                byte[] ct = sender.writeMessage(payload);
                assertArrayEquals(expected, ct, "handshake message " + i);
                assertArrayEquals(payload, receiver.readMessage(ct), "payload of message " + i);
                if (init.isComplete()) {
                    assertTrue(resp.isComplete());
                    assertArrayEquals(init.handshakeHash(), resp.handshakeHash());
                    if (v.has("handshake_hash")) {
                        assertArrayEquals(hex(v, "handshake_hash"), init.handshakeHash());
                    }
                    assertArrayEquals(X25519.fromPrivate(hex(v, "resp_static")).publicKey(),
                            init.remoteStaticKey());
                    assertArrayEquals(X25519.fromPrivate(hex(v, "init_static")).publicKey(),
                            resp.remoteStaticKey());
                    initCiphers = init.split();
                    respCiphers = resp.split();
                }
            } else {
                CipherState send = initiatorSends ? initCiphers[0] : respCiphers[0];
                CipherState receive = initiatorSends ? respCiphers[1] : initCiphers[1];
                byte[] ct = send.encryptWithAd(new byte[0], payload);
                assertArrayEquals(expected, ct, "transport message " + i);
                assertArrayEquals(payload, receive.decryptWithAd(new byte[0], ct));
            }
            i++;
        }
        assertTrue(i > 3, "the vector has transport messages after the handshake");
        assertFalse(init.isMyTurnToWrite());
    }
}
