package org.p2pchat.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The history's id key: compact, ordered as String.compareTo orders ids, and reversible. */
class IdKeyTest {
    private static String randomId(Random random) {
        char[] pool = {'\u0000', 'a', 'z', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800',
            '\ud83d', '\ude00', '\ue000', '\ufffd', '\uffff'};
        char[] chars = new char[random.nextInt(6)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = pool[random.nextInt(pool.length)];
        }
        return new String(chars);
    }

    @Test
    void keysCompareAsTheIdsDoAndDecodeBackToThem() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String a = randomId(random);
            String b = randomId(random);
            assertEquals(Integer.signum(a.compareTo(b)),
                    Integer.signum(Arrays.compareUnsigned(IdKey.of(a), IdKey.of(b))),
                    () -> "order of " + a.chars().boxed().toList() + " and "
                            + b.chars().boxed().toList());
            assertEquals(a, IdKey.id(IdKey.of(a)));
        }
    }

    @Test
    void anAsciiIdTakesOneBytePerCharAndOthersThree() {
        assertArrayEquals("d:ab/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                IdKey.of("d:ab/1"));
        assertEquals(1 + 3, IdKey.of("a\u00e9").length);
        assertThrows(IllegalArgumentException.class,
                () -> IdKey.id(new byte[] {'a', (byte) 0x80, 1}));
    }
}
