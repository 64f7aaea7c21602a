package org.p2pchat.core.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HKDF-SHA256 against RFC 5869 appendix A, test cases 1 to 3.
 *
 * <p>Noise's HKDF (section 4.3) is RFC 5869 with the chaining key as salt, empty info and two
 * 32-byte outputs: {@link SymmetricState#hkdf} returns T(1) and T(2). What can be compared
 * exactly, and is:
 * <ul>
 *   <li>the extract step (PRK = HMAC-SHA256(salt, IKM)) of every case, through the JDK's
 *       {@code HmacSHA256}, the primitive SymmetricState uses;</li>
 *   <li>a small reference HKDF built on that primitive, against each case's full OKM (cases 1 and
 *       2 have non-empty info, which Noise never uses, so they check only the reference);</li>
 *   <li>{@code SymmetricState.hkdf} on each case's salt and IKM against that reference with empty
 *       info, and, for case 3 (empty info), directly against the RFC's OKM: T(1)||T(2) starts with
 *       the 42 bytes the RFC gives.</li>
 * </ul>
 * Case 3's salt is empty, which RFC 5869 section 2.2 defines as HashLen zero bytes (an HMAC key of
 * zeros is the same key as an empty one); {@code SecretKeySpec} refuses empty keys, and Noise's
 * chaining key is always 32 bytes, so the zeros are passed.
 */
class HkdfKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    record Case(byte[] ikm, byte[] salt, byte[] info, byte[] prk, byte[] okm) {
    }

    private static byte[] range(int from, int toInclusive) {
        byte[] b = new byte[toInclusive - from + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] repeat(int value, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static Stream<Named<Case>> rfc5869() {
        return Stream.of(
                Named.of("A.1 basic", new Case(repeat(0x0b, 22), range(0x00, 0x0c),
                        range(0xf0, 0xf9),
                        HEX.parseHex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"),
                        HEX.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                                + "34007208d5b887185865"))),
                Named.of("A.2 long inputs", new Case(range(0x00, 0x4f), range(0x60, 0xaf),
                        range(0xb0, 0xff),
                        HEX.parseHex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244"),
                        HEX.parseHex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                                + "cc30c58179ec3e87c14c01d5c1f3434f1d87"))),
                Named.of("A.3 empty salt and info", new Case(repeat(0x0b, 22), new byte[32],
                        new byte[0],
                        HEX.parseHex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"),
                        HEX.parseHex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                                + "9d201395faa4b61a96c8"))));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** RFC 5869 section 2, written out: extract, then expand to {@code length} bytes. */
    private static byte[] referenceHkdf(byte[] salt, byte[] ikm, byte[] info, int length)
            throws GeneralSecurityException {
        byte[] prk = hmac(salt, ikm);
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int i = 1; okm.size() < length; i++) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.writeBytes(t);
            in.writeBytes(info);
            in.write(i);
            t = hmac(prk, in.toByteArray());
            okm.writeBytes(t);
        }
        return Arrays.copyOf(okm.toByteArray(), length);
    }

    @ParameterizedTest
    @MethodSource("rfc5869")
    void extractStepGivesTheRfcPseudorandomKey(Case c) throws Exception {
        assertArrayEquals(c.prk(), hmac(c.salt(), c.ikm()));
    }

    @ParameterizedTest
    @MethodSource("rfc5869")
    void referenceHkdfGivesTheRfcOutputKeyingMaterial(Case c) throws Exception {
        assertArrayEquals(c.okm(), referenceHkdf(c.salt(), c.ikm(), c.info(), c.okm().length));
    }

    @ParameterizedTest
    @MethodSource("rfc5869")
    void noiseHkdfIsRfc5869WithEmptyInfoAndTwoOutputs(Case c) throws Exception {
        byte[][] out = new SymmetricState(HandshakeXX.PROTOCOL_NAME).hkdf(c.salt(), c.ikm());
        assertEquals(2, out.length);
        assertEquals(32, out[0].length);
        assertEquals(32, out[1].length);
        byte[] both = Arrays.copyOf(out[0], 64);
        System.arraycopy(out[1], 0, both, 32, 32);
        assertArrayEquals(referenceHkdf(c.salt(), c.ikm(), new byte[0], 64), both);
        if (c.info().length == 0) {
            assertArrayEquals(c.okm(), Arrays.copyOf(both, c.okm().length),
                    "T(1)||T(2) begins with the RFC's OKM");
        }
    }
}
