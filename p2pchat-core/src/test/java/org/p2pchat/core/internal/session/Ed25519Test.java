package org.p2pchat.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.PeerKey;

class Ed25519Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MESSAGE = "hello, room".getBytes(StandardCharsets.UTF_8);

    private static byte[] seed(int n) {
        byte[] s = new byte[Ed25519.SEED_BYTES];
        new Random(n).nextBytes(s);
        return s;
    }

    /** The X25519 public key of a raw private key, by the JDK's XDH: scalar times base point 9. */
    private static byte[] x25519Public(byte[] privateKey) throws Exception {
        KeyFactory f = KeyFactory.getInstance("XDH");
        PrivateKey priv = f.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519,
                privateKey));
        PublicKey base = f.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                BigInteger.valueOf(9)));
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(priv);
        ka.doPhase(base, true);
        return ka.generateSecret();
    }

    @Test
    void theRfc8032FirstVectorGivesItsPublicKeyAndSignature() {
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        Ed25519.Keys keys = Ed25519.fromSeed(seed);
        byte[] expectedPublic = HEX.parseHex(
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] expectedSignature = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974"
                + "d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertArrayEquals(expectedPublic, keys.publicKey());
        byte[] signature = keys.sign(new byte[0], 0, 0);
        assertArrayEquals(expectedSignature, signature);
        assertTrue(Ed25519.verify(expectedPublic, new byte[0], 0, 0, expectedSignature));
    }

    @Test
    void theDerivedX25519KeyIsThePeerKeyOfTheSigningKey() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] seed = seed(i);
            PeerKey fromSigningKey = Ed25519.peerKeyOf(Ed25519.fromSeed(seed).publicKey());
            byte[] byXdh = x25519Public(Ed25519.x25519PrivateKey(seed));
            assertNotNull(fromSigningKey);
            assertArrayEquals(byXdh, fromSigningKey.bytes(), "seed " + i);
        }
    }

    @Test
    void theRfc8032SeedMapsToTheSameX25519KeyBothWays() throws Exception {
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        assertArrayEquals(x25519Public(Ed25519.x25519PrivateKey(seed)),
                Ed25519.peerKeyOf(Ed25519.fromSeed(seed).publicKey()).bytes());
    }

    @Test
    void differentSeedsGiveDifferentKeys() {
        assertNotEquals(Ed25519.peerKeyOf(Ed25519.fromSeed(seed(1)).publicKey()),
                Ed25519.peerKeyOf(Ed25519.fromSeed(seed(2)).publicKey()));
        assertFalse(Arrays.equals(Ed25519.x25519PrivateKey(seed(1)), Ed25519.x25519PrivateKey(seed(2))));
    }

    @Test
    void aSignatureVerifiesOverTheSignedRangeOnly() {
        Ed25519.Keys keys = Ed25519.fromSeed(seed(3));
        byte[] framed = new byte[MESSAGE.length + 10];
        System.arraycopy(MESSAGE, 0, framed, 5, MESSAGE.length);
        byte[] signature = keys.sign(framed, 5, MESSAGE.length);
        assertEquals(Ed25519.SIGNATURE_BYTES, signature.length);
        assertTrue(Ed25519.verify(keys.publicKey(), MESSAGE, 0, MESSAGE.length, signature));
        assertTrue(Ed25519.verify(keys.publicKey(), framed, 5, MESSAGE.length, signature));
        assertFalse(Ed25519.verify(keys.publicKey(), framed, 4, MESSAGE.length, signature));
        assertArrayEquals(signature, keys.sign(MESSAGE, 0, MESSAGE.length), "deterministic");
    }

    @Test
    void aFlippedBitAnywhereInTheMessageFails() {
        Ed25519.Keys keys = Ed25519.fromSeed(seed(4));
        byte[] signature = keys.sign(MESSAGE, 0, MESSAGE.length);
        for (int bit = 0; bit < MESSAGE.length * 8; bit++) {
            byte[] m = MESSAGE.clone();
            m[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Ed25519.verify(keys.publicKey(), m, 0, m.length, signature), "bit " + bit);
        }
    }

    @Test
    void aFlippedBitAnywhereInTheSignatureFails() {
        Ed25519.Keys keys = Ed25519.fromSeed(seed(5));
        byte[] signature = keys.sign(MESSAGE, 0, MESSAGE.length);
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] s = signature.clone();
            s[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, 0, MESSAGE.length, s),
                    "bit " + bit);
        }
    }

    @Test
    void aFlippedBitAnywhereInTheKeyFails() {
        Ed25519.Keys keys = Ed25519.fromSeed(seed(6));
        byte[] signature = keys.sign(MESSAGE, 0, MESSAGE.length);
        byte[] key = keys.publicKey();
        for (int bit = 0; bit < key.length * 8; bit++) {
            byte[] k = key.clone();
            k[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Ed25519.verify(k, MESSAGE, 0, MESSAGE.length, signature), "bit " + bit);
        }
    }

    @Test
    void anotherKeysSignatureFails() {
        Ed25519.Keys a = Ed25519.fromSeed(seed(7));
        Ed25519.Keys b = Ed25519.fromSeed(seed(8));
        assertFalse(Ed25519.verify(b.publicKey(), MESSAGE, 0, MESSAGE.length,
                a.sign(MESSAGE, 0, MESSAGE.length)));
    }

    @Test
    void verifyingWithWrongLengthsIsFalseNotAnException() {
        Ed25519.Keys keys = Ed25519.fromSeed(seed(9));
        byte[] signature = keys.sign(MESSAGE, 0, MESSAGE.length);
        assertFalse(Ed25519.verify(Arrays.copyOf(keys.publicKey(), 31), MESSAGE, 0,
                MESSAGE.length, signature));
        assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, 0, MESSAGE.length,
                Arrays.copyOf(signature, 63)));
        assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, 0, MESSAGE.length,
                Arrays.copyOf(signature, 65)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 33, 64})
    void peerKeyOfRefusesWrongLengths(int length) {
        assertNull(Ed25519.peerKeyOf(new byte[length]));
    }

    @Test
    void peerKeyOfRefusesYOfOneAndNonCanonicalY() {
        byte[] one = new byte[32];
        one[0] = 1; // y = 1: the denominator 1 - y is zero
        assertNull(Ed25519.peerKeyOf(one));
        byte[] big = new byte[32];
        Arrays.fill(big, (byte) 0xff);
        big[31] = 0x7f; // y = 2^255 - 1 >= p
        assertNull(Ed25519.peerKeyOf(big));
    }

    @Test
    void theSignBitOfXDoesNotChangeThePeerKey() {
        byte[] key = Ed25519.fromSeed(seed(10)).publicKey();
        byte[] other = key.clone();
        other[31] ^= (byte) 0x80;
        assertEquals(Ed25519.peerKeyOf(key), Ed25519.peerKeyOf(other));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33})
    void fromSeedRefusesWrongLengths(int length) {
        assertThrows(IllegalArgumentException.class, () -> Ed25519.fromSeed(new byte[length]));
    }
}
