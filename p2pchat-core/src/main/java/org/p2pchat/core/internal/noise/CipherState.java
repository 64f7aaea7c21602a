package org.p2pchat.core.internal.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's CipherState (section 5.1) with ChaChaPoly: a key and a 64-bit nonce counter, one
 * direction of a connection. Every message uses the next nonce, so a replayed, dropped or
 * reordered message fails authentication; a failed decryption does not advance the nonce (JDK 17
 * refuses to re-initialise a cipher with a key and nonce it has used). Not thread-safe.
 */
public final class CipherState {
    /** Bytes the authentication tag adds to every encrypted message. */
    public static final int TAG_BYTES = 16;
    /** The reserved nonce, used only to rekey (section 4.2). */
    private static final long MAX_NONCE = -1L;

    private Cipher cipher;
    private final byte[] nonceBytes = new byte[12];
    private SecretKeySpec key;
    private long nonce;

    /** Creates a cipher state without a key: messages pass through unencrypted. */
    public CipherState() {
        cipher = newCipher();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks ChaCha20-Poly1305", e);
        }
    }

    /**
     * Sets the key and resets the nonce (InitializeKey).
     *
     * @param k 32 bytes
     */
    public void initializeKey(byte[] k) {
        key = new SecretKeySpec(k, "ChaCha20");
        nonce = 0;
    }

    /**
     * Tells whether a key is set.
     *
     * @return true once {@link #initializeKey} has been called
     */
    public boolean hasKey() {
        return key != null;
    }

    /**
     * Returns the nonce the next message will use.
     *
     * @return the nonce, as an unsigned 64-bit counter
     */
    public long nonce() {
        return nonce;
    }

    /**
     * Encrypts with associated data (EncryptWithAd); without a key, returns the plaintext.
     *
     * @param ad associated data
     * @param plaintext the plaintext
     * @return ciphertext and tag
     */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (key == null) {
            return plaintext.clone();
        }
        byte[] out = new byte[plaintext.length + TAG_BYTES];
        encrypt(ad, ByteBuffer.wrap(plaintext), ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Decrypts with associated data (DecryptWithAd); without a key, returns the ciphertext.
     *
     * @param ad associated data
     * @param ciphertext ciphertext and tag
     * @return the plaintext
     * @throws NoiseException if authentication fails; the nonce is then not advanced
     */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        if (key == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < TAG_BYTES) {
            throw new NoiseException("encrypted message shorter than its tag");
        }
        byte[] out = new byte[ciphertext.length - TAG_BYTES];
        decrypt(ad, ByteBuffer.wrap(ciphertext), ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Encrypts {@code in} (position to limit) into {@code out}, which needs room for the
     * plaintext plus {@link #TAG_BYTES}. Requires a key.
     *
     * @param ad associated data, or null for none
     * @param in the plaintext; consumed
     * @param out receives ciphertext and tag
     */
    public void encrypt(byte[] ad, ByteBuffer in, ByteBuffer out) {
        checkNonce();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonceBytes(nonce)));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
        nonce++;
    }

    /**
     * Decrypts {@code in} (ciphertext and tag, position to limit) into {@code out}. Requires a
     * key. On failure nothing is written and the nonce stays, so the connection must close.
     * (The next message may still be tried at the same nonce, as Noise section 5.1 allows: JDK 17
     * refuses to re-initialise a {@code Cipher} with the key and nonce of its last init even to
     * decrypt, so a failure replaces the {@code Cipher}.)
     *
     * @param ad associated data, or null for none
     * @param in ciphertext and tag; consumed
     * @param out receives the plaintext
     * @throws NoiseException if authentication fails
     */
    public void decrypt(byte[] ad, ByteBuffer in, ByteBuffer out) {
        checkNonce();
        if (in.remaining() < TAG_BYTES) {
            throw new NoiseException("encrypted message shorter than its tag");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonceBytes(nonce)));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            cipher.doFinal(in, out);
        } catch (AEADBadTagException e) {
            cipher = newCipher();
            throw new NoiseException("message failed authentication (tampered, replayed or out"
                    + " of order)", e);
        } catch (GeneralSecurityException e) {
            cipher = newCipher();
            throw new NoiseException("decryption failed: " + e.getMessage(), e);
        }
        nonce++;
    }

    /**
     * Replaces the key with one derived from it (Rekey, section 4.2), keeping the nonce.
     */
    public void rekey() {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonceBytes(MAX_NONCE)));
            byte[] out = cipher.doFinal(new byte[32]);
            key = new SecretKeySpec(Arrays.copyOf(out, 32), "ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 rekey failed", e);
        }
    }

    private void checkNonce() {
        if (nonce == MAX_NONCE) {
            throw new NoiseException("nonce exhausted: the session must rekey or reconnect");
        }
    }

    private byte[] nonceBytes(long n) {
        // ChaChaPoly nonce: 32 bits of zeros, then the counter little-endian (section 12.3).
        for (int i = 0; i < 8; i++) {
            nonceBytes[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonceBytes;
    }
}
