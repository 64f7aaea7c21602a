package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@link X25519} against the test vectors of RFC 7748, sections 5.2 and 6.1. */
class X25519KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void scalarTimesPointMatchesRfc7748Section52FirstVector() {
        assertArrayEquals(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                X25519.dh(hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
    }

    @Test
    void scalarTimesPointMatchesRfc7748Section52SecondVector() {
        // The u-coordinate's top bit is set: RFC 7748 says to ignore it, and this vector checks it.
        assertArrayEquals(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
                X25519.dh(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                        hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
    }

    @Test
    void iteratingOnceAndAThousandTimesMatchesRfc7748Section52() {
        // k = u = 9; each round: k' = X25519(k, u), u = k, k = k'. (The 1,000,000 case is skipped
        // for time.)
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = k.clone();
        for (int i = 1; i <= 1000; i++) {
            byte[] next = X25519.dh(k, u);
            u = k;
            k = next;
            if (i == 1) {
                assertArrayEquals(
                        hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), k,
                        "after 1 iteration");
            }
        }
        assertArrayEquals(hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"), k,
                "after 1,000 iterations");
    }

    @Test
    void aliceAndBobDeriveTheirPublicKeysAndSharedSecretAsInRfc7748Section61() {
        byte[] alicePrivate = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPrivate = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePublic = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPublic = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

        X25519.Keys alice = X25519.fromPrivate(alicePrivate);
        X25519.Keys bob = X25519.fromPrivate(bobPrivate);
        assertArrayEquals(alicePublic, alice.publicKey());
        assertArrayEquals(bobPublic, bob.publicKey());
        assertArrayEquals(alicePrivate, alice.privateKey());
        assertArrayEquals(shared, X25519.dh(alicePrivate, bobPublic));
        assertArrayEquals(shared, X25519.dh(bobPrivate, alicePublic));
    }
}
