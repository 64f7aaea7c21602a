package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.p2pchat.core.internal.room.RoomFixtures.ROOM;
import static org.p2pchat.core.internal.room.RoomFixtures.keys;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.ProtocolException;

class RoomPostTest {
    private static final int ROOM_AT = 0;
    private static final int ORIGIN_AT = 16;
    private static final int INCARNATION_AT = 48;
    private static final int SEQ_AT = 56;
    private static final int SENT_AT = 64;
    private static final int TEXT_AT = 72;

    private static RoomPost post(String text) {
        return RoomPost.sign(ROOM, keys(1), 42, 7, 1_700_000_123_456L,
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedPostReadsBackWithEveryFieldAndItsSignatureHolds() {
        RoomPost sent = post("hello, ünïcode ✓");
        RoomPost got = RoomPost.read(sent.encoded().clone());
        assertEquals(ROOM, got.room());
        assertEquals(peerKey(1), got.originKey());
        assertEquals(42, got.incarnation());
        assertEquals(7, got.seq());
        assertEquals(1_700_000_123_456L, got.sentAt());
        assertEquals("hello, ünïcode ✓", got.text());
        assertEquals("hello, ünïcode ✓".getBytes(StandardCharsets.UTF_8).length, got.textBytes());
        assertEquals(RoomPost.OVERHEAD + got.textBytes(), got.encoded().length);
        assertTrue(got.verify());
        assertTrue(sent.verify());
    }

    @Test
    void anEmptyTextIsAValidPost() {
        RoomPost got = RoomPost.read(post("").encoded().clone());
        assertEquals("", got.text());
        assertTrue(got.verify());
    }

    private static void assertForged(byte[] bytes, String what) {
        try {
            assertFalse(RoomPost.read(bytes).verify(), what + " changed by a relay still verifies");
        } catch (ProtocolException e) {
            // refused on reading: as good
        }
    }

    @Test
    void aRelayThatChangesTheTextIsCaught() {
        byte[] b = post("pay alice 10").encoded().clone();
        b[TEXT_AT + 11] = '9';
        assertEquals("pay alice 19", RoomPost.read(b.clone()).text());
        assertForged(b, "text");
    }

    @Test
    void aRelayThatChangesTheOriginIsCaught() {
        byte[] b = post("hi").encoded().clone();
        System.arraycopy(keys(2).publicKey(), 0, b, ORIGIN_AT, 32);
        assertEquals(peerKey(2), RoomPost.read(b.clone()).originKey());
        assertForged(b, "origin");
    }

    @Test
    void aPostSignedByAnotherMemberUnderAnOriginsKeyIsCaught() {
        // member 2 signs a post and claims it is member 1's
        byte[] b = RoomPost.sign(ROOM, keys(2), 42, 7, 1L, "i am 1".getBytes(StandardCharsets.UTF_8))
                .encoded().clone();
        System.arraycopy(keys(1).publicKey(), 0, b, ORIGIN_AT, 32);
        assertForged(b, "origin with another member's signature");
    }

    @Test
    void aRelayThatChangesTheSeqIsCaught() {
        byte[] b = post("hi").encoded().clone();
        ByteBuffer.wrap(b).putLong(SEQ_AT, 8);
        assertEquals(8, RoomPost.read(b.clone()).seq());
        assertForged(b, "seq");
    }

    @Test
    void aRelayThatChangesTheIncarnationIsCaught() {
        byte[] b = post("hi").encoded().clone();
        ByteBuffer.wrap(b).putLong(INCARNATION_AT, 43);
        assertForged(b, "incarnation");
    }

    @Test
    void aRelayThatMovesThePostToAnotherRoomIsCaught() {
        byte[] b = post("hi").encoded().clone();
        ByteBuffer.wrap(b).putLong(ROOM_AT + 8, 99);
        assertEquals(new RoomId(ROOM.high(), 99), RoomPost.read(b.clone()).room());
        assertForged(b, "room id");
    }

    @Test
    void aRelayThatChangesTheTimestampIsCaught() {
        byte[] b = post("hi").encoded().clone();
        ByteBuffer.wrap(b).putLong(SENT_AT, 1_600_000_000_000L);
        assertForged(b, "timestamp");
    }

    @Test
    void aFlippedBitAnywhereIsCaught() {
        byte[] good = post("a short text").encoded();
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] b = good.clone();
                b[i] ^= (byte) (1 << bit);
                assertForged(b, "byte " + i + " bit " + bit);
            }
        }
    }

    @Test
    void aPostTruncatedAtAnyLengthIsRefusedOrFailsItsSignature() {
        byte[] good = post("some text").encoded();
        for (int n = 0; n < good.length; n++) {
            byte[] b = Arrays.copyOf(good, n);
            if (n < RoomPost.OVERHEAD) {
                assertThrows(ProtocolException.class, () -> RoomPost.read(b), "length " + n);
            } else {
                assertForged(b, "truncated to " + n);
            }
        }
    }

    @Test
    void trailingBytesAfterThePostFailItsSignature() {
        byte[] good = post("some text").encoded();
        for (int extra = 1; extra <= 3; extra++) {
            assertForged(Arrays.copyOf(good, good.length + extra), extra + " trailing bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, RoomPost.MAX_SEQ + 1, Long.MIN_VALUE})
    void aSeqOutsideOneToMaxIsRefusedOnReading(long seq) {
        byte[] b = RoomPost.sign(ROOM, keys(1), 1, seq, 1, new byte[0]).encoded().clone();
        assertThrows(ProtocolException.class, () -> RoomPost.read(b));
    }

    @Test
    void theHighestSeqIsAccepted() {
        byte[] b = RoomPost.sign(ROOM, keys(1), 1, RoomPost.MAX_SEQ, 1, new byte[0]).encoded();
        assertEquals(RoomPost.MAX_SEQ, RoomPost.read(b.clone()).seq());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c328", "c0af", "eda080", "f4908080", "ff", "e282"})
    void invalidUtf8TextIsRefusedEvenWhenSigned(String hex) {
        byte[] utf8 = java.util.HexFormat.of().parseHex(hex);
        RoomPost p = RoomPost.read(RoomPost.sign(ROOM, keys(1), 1, 1, 1, utf8).encoded().clone());
        assertTrue(p.verify(), "signed by its origin");
        ProtocolException e = assertThrows(ProtocolException.class, p::text);
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void randomlyMangledPostsNeverThrowAnythingButProtocolException() {
        Random random = new Random(11);
        byte[] good = post("fuzz me").encoded();
        for (int i = 0; i < 300; i++) {
            byte[] b = mangle(random, good);
            try {
                RoomPost p = RoomPost.read(b);
                if (!Arrays.equals(b, good)) {
                    assertFalse(p.verify(), "a mangled post verifies: " + Arrays.toString(b));
                }
                p.originKey();
                p.toString();
                try {
                    p.text();
                } catch (ProtocolException expected) {
                    // bad UTF-8
                }
            } catch (ProtocolException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("mangled post threw " + e, e);
            }
        }
    }

    static byte[] mangle(Random random, byte[] good) {
        byte[] b = good.clone();
        switch (random.nextInt(4)) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> b = Arrays.copyOf(b, b.length + 1 + random.nextInt(4));
            default -> {
                for (int k = 0; k < 4; k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt();
                }
            }
        }
        return b;
    }
}
