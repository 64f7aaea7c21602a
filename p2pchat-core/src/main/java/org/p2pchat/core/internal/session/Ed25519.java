package org.p2pchat.core.internal.session;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.p2pchat.api.PeerKey;

/**
 * Ed25519 signatures over the JDK's {@code Signature "Ed25519"}, and the map from an Ed25519 key
 * to the X25519 key that is a peer's identity (PROTOCOL.md, "Keys").
 *
 * <p>A peer's identity is one 32-byte secret seed. Its Ed25519 key pair is derived from the seed
 * as RFC 8032 says; its X25519 private key is the first 32 bytes of SHA-512(seed), the scalar
 * Ed25519 itself uses, so its X25519 public key is the Montgomery form of its Ed25519 public key:
 * {@code u = (1 + y) / (1 - y) mod 2^255 - 19}. Anyone can check that a signing key belongs to a
 * {@link PeerKey} without talking to its holder, which is what lets room messages be verified
 * after any number of relays. (libsodium's {@code crypto_sign_ed25519_pk_to_curve25519} computes
 * the same map.)
 *
 * <p>Stateless and thread-safe; signing and verifying take about half a millisecond each on JDK
 * 17, so callers keep them off the event loop.
 */
public final class Ed25519 {
    /** Length of a public key, in bytes. */
    public static final int PUBLIC_KEY_BYTES = 32;
    /** Length of a signature, in bytes. */
    public static final int SIGNATURE_BYTES = 64;
    /** Length of a seed, the secret everything is derived from. */
    public static final int SEED_BYTES = 32;

    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
        0x70, 0x03, 0x21, 0x00};

    private Ed25519() {
    }

    /** A signing key pair: the JDK private key and the raw public key. Immutable. */
    public static final class Keys {
        private final PrivateKey privateKey;
        private final byte[] publicKey;

        private Keys(PrivateKey privateKey, byte[] publicKey) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        /** Returns the raw 32-byte public key (a copy). */
        public byte[] publicKey() {
            return publicKey.clone();
        }

        /**
         * Signs a message.
         *
         * @param message the bytes to sign
         * @param offset where they start
         * @param length how many
         * @return the 64-byte signature
         */
        public byte[] sign(byte[] message, int offset, int length) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(privateKey);
                s.update(message, offset, length);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK cannot sign with Ed25519", e);
            }
        }
    }

    /**
     * Derives the signing key pair of a seed (RFC 8032, section 5.1.5).
     *
     * @param seed 32 secret bytes
     * @return the pair
     */
    public static Keys fromSeed(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            // The JDK draws the seed from the random source it is given: hand it this one.
            g.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            KeyPair pair = g.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            return new Keys(pair.getPrivate(),
                    Arrays.copyOfRange(spki, spki.length - PUBLIC_KEY_BYTES, spki.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks Ed25519", e);
        }
    }

    /**
     * Derives the X25519 private key of a seed: the first 32 bytes of SHA-512(seed), which
     * X25519 clamps as Ed25519 does.
     *
     * @param seed 32 secret bytes
     * @return the raw X25519 private key
     */
    public static byte[] x25519PrivateKey(byte[] seed) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(seed), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
    }

    /**
     * Returns the peer key (X25519) that belongs to an Ed25519 public key.
     *
     * @param edPublicKey 32 bytes
     * @return the key, or null if the bytes are not a usable Ed25519 public key
     */
    public static PeerKey peerKeyOf(byte[] edPublicKey) {
        if (edPublicKey.length != PUBLIC_KEY_BYTES) {
            return null;
        }
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = edPublicKey[31 - i];
        }
        be[0] &= 0x7f; // the top bit is the sign of x, which the Montgomery form does not keep
        BigInteger y = new BigInteger(1, be);
        BigInteger denominator = BigInteger.ONE.subtract(y).mod(P);
        if (y.compareTo(P) >= 0 || denominator.signum() == 0) {
            return null;
        }
        BigInteger u = BigInteger.ONE.add(y).multiply(denominator.modInverse(P)).mod(P);
        byte[] ube = u.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < ube.length; i++) {
            le[i] = ube[ube.length - 1 - i];
        }
        return PeerKey.of(le);
    }

    /**
     * Verifies a signature.
     *
     * @param edPublicKey the signer's raw 32-byte public key
     * @param message the signed bytes
     * @param offset where they start
     * @param length how many
     * @param signature the 64-byte signature
     * @return true if it is valid
     */
    public static boolean verify(byte[] edPublicKey, byte[] message, int offset, int length,
            byte[] signature) {
        if (edPublicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + PUBLIC_KEY_BYTES);
            System.arraycopy(edPublicKey, 0, spki, SPKI_PREFIX.length, PUBLIC_KEY_BYTES);
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(spki));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message, offset, length);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Not a point on the curve, or a malformed signature: not valid.
            return false;
        }
    }

    /** Hands out given bytes as "random": how the JDK is made to derive a key from a seed. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("expected a request for " + bytes.length
                        + " bytes, got " + out.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
