package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Transport decryption of arbitrary bytes: only a {@link NoiseException} may come out, and a
 * refused message leaves the nonce where it was and writes nothing. Both the array and the buffer
 * API are exercised.
 */
class TransportFuzzTest {

    @FuzzTest
    void decryptingArbitraryBytesOnlyFailsAuthentication(byte[] message) {
        CipherState arrays = FuzzFixture.receiver();
        try {
            arrays.decryptWithAd(new byte[0], message);
            assertEquals(1, arrays.nonce());
        } catch (NoiseException refused) {
            assertEquals(0, arrays.nonce());
        }
        CipherState buffers = FuzzFixture.receiver();
        ByteBuffer out = ByteBuffer.allocate(Math.max(0, message.length - CipherState.TAG_BYTES));
        try {
            buffers.decrypt(null, ByteBuffer.wrap(message), out);
            assertEquals(1, buffers.nonce());
        } catch (NoiseException refused) {
            assertEquals(0, buffers.nonce());
            assertEquals(0, out.position(), "a refused message writes nothing");
        }
    }
}
