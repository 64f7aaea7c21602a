package org.p2pchat.core.internal.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte keys, over the JDK's {@code XDH} provider. Stateless and
 * thread-safe.
 */
public final class X25519 {
    /** Length of keys and shared secrets, in bytes. */
    public static final int KEY_BYTES = 32;
    private static final byte[] BASE_POINT = new byte[KEY_BYTES];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    /** A key pair as raw bytes. */
    public record Keys(byte[] privateKey, byte[] publicKey) {
    }

    /**
     * Generates a key pair.
     *
     * @param random the randomness source
     * @return the new keys
     */
    public static Keys generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
            g.initialize(NamedParameterSpec.X25519, random);
            KeyPair pair = g.generateKeyPair();
            byte[] priv = ((XECPrivateKey) pair.getPrivate()).getScalar()
                    .orElseThrow(() -> new IllegalStateException("XDH key without a scalar"));
            return new Keys(priv, encodeU(((XECPublicKey) pair.getPublic()).getU()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks X25519", e);
        }
    }

    /**
     * Returns the key pair of a raw private key.
     *
     * @param privateKey 32 bytes
     * @return the pair
     */
    public static Keys fromPrivate(byte[] privateKey) {
        return new Keys(privateKey.clone(), dh(privateKey, BASE_POINT));
    }

    /**
     * Computes the shared secret of a private and a public key.
     *
     * @param privateKey our 32-byte private key
     * @param publicKey their 32-byte public key
     * @return the 32-byte shared secret
     * @throws NoiseException if the public key is of low order (the secret would be all zeros)
     */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) {
        if (publicKey.length != KEY_BYTES || privateKey.length != KEY_BYTES) {
            throw new NoiseException("X25519 keys are 32 bytes");
        }
        try {
            KeyFactory f = KeyFactory.getInstance("XDH");
            PrivateKey priv = f.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519,
                    privateKey));
            PublicKey pub = f.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                    decodeU(publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] secret = ka.generateSecret();
            int acc = 0;
            for (byte b : secret) {
                acc |= b;
            }
            if (acc == 0) {
                throw new NoiseException("refused a low-order X25519 public key");
            }
            return secret;
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new NoiseException("X25519 failed (low-order or invalid public key): " + e, e);
        }
    }

    private static BigInteger decodeU(byte[] u) {
        byte[] be = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            be[i] = u[KEY_BYTES - 1 - i];
        }
        be[0] &= 0x7f; // RFC 7748 section 5: ignore the most significant bit
        return new BigInteger(1, be);
    }

    private static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
