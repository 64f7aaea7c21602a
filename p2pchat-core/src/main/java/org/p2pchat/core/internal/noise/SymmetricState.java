package org.p2pchat.core.internal.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's SymmetricState (section 5.2) with SHA-256: the chaining key, the handshake hash and the
 * handshake's cipher state. Not thread-safe.
 */
public final class SymmetricState {
    private static final int HASH_BYTES = 32;

    private final MessageDigest sha256;
    private final Mac hmac;
    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    /**
     * InitializeSymmetric.
     *
     * @param protocolName the full protocol name
     */
    public SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : sha256.digest(name);
        ck = h.clone();
    }

    /**
     * MixKey: feeds key material into the chaining key and sets a new cipher key.
     *
     * @param inputKeyMaterial the DH output
     */
    public void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(ck, inputKeyMaterial);
        ck = out[0];
        cipher.initializeKey(out[1]);
    }

    /**
     * MixHash: h = SHA-256(h || data).
     *
     * @param data the data
     */
    public void mixHash(byte[] data) {
        sha256.update(h);
        h = sha256.digest(data);
    }

    /**
     * EncryptAndHash.
     *
     * @param plaintext the plaintext
     * @return the ciphertext (the plaintext while there is no key)
     */
    public byte[] encryptAndHash(byte[] plaintext) {
        byte[] ct = cipher.encryptWithAd(h, plaintext);
        mixHash(ct);
        return ct;
    }

    /**
     * DecryptAndHash.
     *
     * @param ciphertext the ciphertext
     * @return the plaintext
     * @throws NoiseException if authentication fails
     */
    public byte[] decryptAndHash(byte[] ciphertext) {
        byte[] pt = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return pt;
    }

    /**
     * Tells whether the handshake cipher has a key yet.
     *
     * @return true after the first MixKey
     */
    public boolean hasKey() {
        return cipher.hasKey();
    }

    /**
     * Returns the handshake hash, which both sides share once the handshake ends.
     *
     * @return a copy of h
     */
    public byte[] handshakeHash() {
        return h.clone();
    }

    /**
     * Split: derives the two transport cipher states.
     *
     * @return the initiator-to-responder and responder-to-initiator cipher states
     */
    public CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState();
        c1.initializeKey(out[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(out[1]);
        return new CipherState[] {c1, c2};
    }

    /**
     * HKDF (section 4.3; RFC 5869 with the chaining key as salt) returning two outputs.
     *
     * @param chainingKey the salt
     * @param inputKeyMaterial the input key material
     * @return two 32-byte outputs
     */
    public byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] temp = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(temp, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, HASH_BYTES + 1);
        in2[HASH_BYTES] = 2;
        byte[] out2 = hmac(temp, in2);
        return new byte[][] {out1, out2};
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 refused a key", e);
        }
        return hmac.doFinal(data);
    }
}
