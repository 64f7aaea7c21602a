package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * ChaCha20-Poly1305: the JDK primitive against RFC 8439 section 2.8.2, and {@link CipherState}
 * (which wraps it with Noise's nonce layout) against values computed independently with that
 * primitive.
 */
class ChaChaPolyKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] RFC_KEY = HEX.parseHex(
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    /** The 32-bit constant 07000000 then the 64-bit IV 4041424344454647, as the RFC lays it out. */
    private static final byte[] RFC_NONCE = HEX.parseHex("070000004041424344454647");
    private static final byte[] RFC_AAD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] RFC_PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I"
            + " could offer you only one tip for the future, sunscreen would be it.")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RFC_CIPHERTEXT = HEX.parseHex(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116");
    private static final byte[] RFC_TAG = HEX.parseHex("1ae10b594f09e26a7e902ecbd0600691");

    private static byte[] jdk(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        if (aad.length > 0) {
            c.updateAAD(aad);
        }
        return c.doFinal(input);
    }

    /** Noise's ChaChaPoly nonce (section 12.3): 4 zero bytes, then n as 64-bit little-endian. */
    private static byte[] noiseNonce(long n) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonce;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void jdkPrimitiveEncryptsTheRfc8439Section282ExampleExactly() throws Exception {
        assertEquals(114, RFC_PLAINTEXT.length);
        assertArrayEquals(concat(RFC_CIPHERTEXT, RFC_TAG),
                jdk(Cipher.ENCRYPT_MODE, RFC_KEY, RFC_NONCE, RFC_AAD, RFC_PLAINTEXT));
    }

    @Test
    void jdkPrimitiveDecryptsTheRfc8439Section282Example() throws Exception {
        assertArrayEquals(RFC_PLAINTEXT, jdk(Cipher.DECRYPT_MODE, RFC_KEY, RFC_NONCE, RFC_AAD,
                concat(RFC_CIPHERTEXT, RFC_TAG)));
    }

    @Test
    void cipherStateUsesNoiseNonceLayoutForConsecutiveCounters() throws Exception {
        byte[] ad = HEX.parseHex("000102030405");
        CipherState sender = new CipherState();
        sender.initializeKey(RFC_KEY.clone());
        CipherState receiver = new CipherState();
        receiver.initializeKey(RFC_KEY.clone());
        for (long n = 0; n < 3; n++) {
            byte[] expected = jdk(Cipher.ENCRYPT_MODE, RFC_KEY, noiseNonce(n), ad, RFC_PLAINTEXT);
            assertEquals(n, sender.nonce());
            byte[] actual = sender.encryptWithAd(ad, RFC_PLAINTEXT);
            assertArrayEquals(expected, actual, "message with n=" + n);
            assertArrayEquals(RFC_PLAINTEXT, receiver.decryptWithAd(ad, actual));
            assertEquals(n + 1, receiver.nonce());
        }
    }

    @Test
    void cipherStateWithEmptyAssociatedDataMatchesThePrimitive() throws Exception {
        CipherState sender = new CipherState();
        sender.initializeKey(RFC_KEY.clone());
        assertArrayEquals(jdk(Cipher.ENCRYPT_MODE, RFC_KEY, noiseNonce(0), new byte[0], new byte[0]),
                sender.encryptWithAd(new byte[0], new byte[0]), "n=0, empty plaintext: tag only");
        assertArrayEquals(jdk(Cipher.ENCRYPT_MODE, RFC_KEY, noiseNonce(1), new byte[0], RFC_PLAINTEXT),
                sender.encryptWithAd(new byte[0], RFC_PLAINTEXT), "n=1");
    }

    @Test
    void rekeyTakesTheFirst32BytesOfEncryptingZerosUnderTheMaximumNonce() throws Exception {
        // Noise section 4.2: REKEY(k) = ENCRYPT(k, 2^64-1, zerolen, zeros) truncated to 32 bytes.
        byte[] newKey = Arrays.copyOf(jdk(Cipher.ENCRYPT_MODE, RFC_KEY, noiseNonce(-1L),
                new byte[0], new byte[32]), 32);
        CipherState state = new CipherState();
        state.initializeKey(RFC_KEY.clone());
        state.encryptWithAd(new byte[0], new byte[1]); // n = 0
        state.rekey();
        assertEquals(1, state.nonce(), "rekey keeps the nonce");
        assertArrayEquals(jdk(Cipher.ENCRYPT_MODE, newKey, noiseNonce(1), RFC_AAD, RFC_PLAINTEXT),
                state.encryptWithAd(RFC_AAD, RFC_PLAINTEXT));
    }
}
