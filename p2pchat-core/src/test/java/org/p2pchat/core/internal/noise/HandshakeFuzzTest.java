package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.p2pchat.api.ProtocolException;

/**
 * The handshake reader on arbitrary bytes: whatever arrives, only a {@link NoiseException} (or
 * another {@link ProtocolException}) may come out. Runs its committed inputs in {@code mvn verify};
 * fuzz with {@code JAZZER_FUZZ=1} (see the README).
 */
class HandshakeFuzzTest {
    private static final byte[][] GENUINE = FuzzFixture.genuineHandshake();

    @FuzzTest
    void responderReadsArbitraryFirstMessage(byte[] message) {
        HandshakeXX resp = FuzzFixture.responder();
        try {
            byte[] payload = resp.readMessage(message);
            // Message 1 is e then the payload, both in clear.
            assertArrayEquals(Arrays.copyOfRange(message, X25519.KEY_BYTES, message.length), payload);
            resp.writeMessage(FuzzFixture.PAYLOAD_2); // ee and es with the arbitrary e
        } catch (ProtocolException expected) {
            // refused: fine
        }
    }

    @FuzzTest
    void initiatorReadsArbitrarySecondMessage(byte[] message) {
        HandshakeXX init = FuzzFixture.initiator();
        init.writeMessage(FuzzFixture.PAYLOAD_1);
        try {
            init.readMessage(message);
            init.writeMessage(FuzzFixture.PAYLOAD_3);
        } catch (ProtocolException expected) {
            // refused: fine
        }
    }

    @FuzzTest
    void responderReadsArbitraryThirdMessage(byte[] message) {
        HandshakeXX resp = FuzzFixture.responder();
        resp.readMessage(GENUINE[0]);
        resp.writeMessage(FuzzFixture.PAYLOAD_2);
        try {
            resp.readMessage(message);
            resp.split();
        } catch (ProtocolException expected) {
            // refused: fine
        }
    }
}
