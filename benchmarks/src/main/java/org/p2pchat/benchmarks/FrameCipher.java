package org.p2pchat.benchmarks;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of the {@code rawSealed} baseline: ChaCha20-Poly1305 straight from
 * {@code javax.crypto}, one key, a 64-bit nonce counter (Noise's layout: 4 zero bytes, then the
 * counter little-endian), the cipher initialised afresh for every frame, as p2pchat does. The
 * sender's and the receiver's instances share the key and count in step. No library code: the
 * machine's limit for encrypted framing on this JDK. Not thread-safe; one per side and direction.
 */
final class FrameCipher {
    /** Bytes the authentication tag adds to each frame. */
    static final int TAG_BYTES = 16;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final int mode;
    private final byte[] nonce = new byte[12];
    private long counter;

    private FrameCipher(byte[] key, int mode) {
        try {
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks ChaCha20-Poly1305", e);
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.mode = mode;
    }

    /**
     * The sending side of a direction.
     *
     * @param key 32 bytes, shared with {@link #opener}
     * @return a sealer
     */
    static FrameCipher sealer(byte[] key) {
        return new FrameCipher(key, Cipher.ENCRYPT_MODE);
    }

    /**
     * The receiving side of a direction.
     *
     * @param key 32 bytes, shared with {@link #sealer}
     * @return an opener
     */
    static FrameCipher opener(byte[] key) {
        return new FrameCipher(key, Cipher.DECRYPT_MODE);
    }

    /**
     * Seals (or opens) {@code length} bytes at {@code in[offset]} into {@code out[outOffset]},
     * under the next nonce.
     *
     * @return the bytes written: length + {@value #TAG_BYTES} when sealing, length -
     *     {@value #TAG_BYTES} when opening
     * @throws IllegalStateException if a frame fails authentication (a bug in the benchmark)
     */
    int apply(byte[] in, int offset, int length, byte[] out, int outOffset) {
        long n = counter++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        try {
            cipher.init(mode, key, new IvParameterSpec(nonce));
            return cipher.doFinal(in, offset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("raw ChaCha20-Poly1305 frame " + n + " failed", e);
        }
    }
}
