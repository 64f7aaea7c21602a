package org.p2pchat.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.internal.delivery.FakeLinkSessions.RecordingConnection;
import org.p2pchat.core.internal.noise.NoiseException;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.SecureChannel;

/**
 * When a direction rekeys, as PROTOCOL.md states it: the sender right after sealing the frame
 * whose nonce is {@code interval - 1} (and every {@code interval} frames after), so the frame with
 * nonce {@code interval} is the first under the new key. A receiver that rekeys one frame early
 * or late fails exactly there. (What REKEY computes is checked in ChaChaPolyKnownAnswerTest.)
 */
class SecureChannelRekeyTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int INTERVAL = 4;

    private final RecordingConnection toBob = new RecordingConnection(-1);
    private final RecordingConnection toAlice = new RecordingConnection(1);

    /** Alice (initiator, rekeying every {@link #INTERVAL}) and bob, after a real handshake. */
    private SecureChannel[] pair(long bobInterval) {
        SecureChannel alice = new SecureChannel(toBob, true, Identity.ephemeral(RANDOM), RANDOM,
                INTERVAL);
        SecureChannel bob = new SecureChannel(toAlice, false, Identity.ephemeral(RANDOM), RANDOM,
                bobInterval);
        alice.writeHandshake(new byte[0]);
        bob.readHandshake(ByteBuffer.wrap(toBob.takeOnly()));
        bob.writeHandshake(new byte[0]);
        alice.readHandshake(ByteBuffer.wrap(toAlice.takeOnly()));
        alice.writeHandshake(new byte[0]);
        bob.readHandshake(ByteBuffer.wrap(toBob.takeOnly()));
        return new SecureChannel[] {alice, bob};
    }

    /** Alice seals frame {@code n}; bob opens it and returns its one byte. */
    private static int sendOne(SecureChannel alice, SecureChannel bob, RecordingConnection wire,
            int n) {
        alice.write(ByteBuffer.wrap(new byte[] {(byte) n}));
        return bob.open(ByteBuffer.wrap(wire.frame(n))).get();
    }

    @Test
    void bothSidesRekeyingEveryFourFramesAgreeAcrossManyRekeys() {
        SecureChannel[] p = pair(INTERVAL);
        for (int n = 0; n < 5 * INTERVAL + 1; n++) {
            assertEquals(n, sendOne(p[0], p[1], toBob, n));
        }
    }

    @Test
    void aReceiverThatRekeysOneFrameLateFailsAtTheFirstFrameUnderTheNewKey() {
        SecureChannel[] p = pair(INTERVAL + 1);
        for (int n = 0; n < INTERVAL; n++) {
            assertEquals(n, sendOne(p[0], p[1], toBob, n), "frames 0 to 3: the key from Split()");
        }
        assertThrows(NoiseException.class, () -> sendOne(p[0], p[1], toBob, INTERVAL));
    }

    @Test
    void aReceiverThatRekeysOneFrameEarlyFailsAtTheLastFrameUnderTheOldKey() {
        SecureChannel[] p = pair(INTERVAL - 1);
        for (int n = 0; n < INTERVAL - 1; n++) {
            assertEquals(n, sendOne(p[0], p[1], toBob, n));
        }
        assertThrows(NoiseException.class, () -> sendOne(p[0], p[1], toBob, INTERVAL - 1));
    }
}
