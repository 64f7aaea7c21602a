package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.core.internal.room.RoomFixtures.ROOM;
import static org.p2pchat.core.internal.room.RoomFixtures.address;
import static org.p2pchat.core.internal.room.RoomFixtures.handMadeRecord;
import static org.p2pchat.core.internal.room.RoomFixtures.keys;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.ProtocolException;

class MemberRecordTest {
    private static final byte[] PROOF = Admission.prove(new byte[32], ROOM, keys(1).publicKey());

    private static MemberRecord alice() {
        return MemberRecord.sign(ROOM, keys(1), 1_700_000_000_001L, MemberRecord.JOINED, "alice",
                PeerAddress.parse("10.1.2.3:7001"), PROOF);
    }

    private static MemberRecord read(byte[] bytes) {
        return MemberRecord.read(ByteBuffer.wrap(bytes));
    }

    @Test
    void aSignedRecordReadsBackWithEveryField() {
        MemberRecord sent = alice();
        ByteBuffer in = ByteBuffer.allocate(sent.encodedBytes() + 3);
        in.put((byte) 9);
        sent.write(in);
        in.flip();
        in.get();
        MemberRecord got = MemberRecord.read(in);
        assertEquals(1 + sent.encodedBytes(), in.position(), "left after the record");
        assertEquals(ROOM, got.room());
        assertEquals(peerKey(1), got.key());
        assertArrayEquals(keys(1).publicKey(), got.signingKey());
        assertEquals(1_700_000_000_001L, got.incarnation());
        assertTrue(got.joined());
        assertEquals("alice", got.name());
        assertEquals(PeerAddress.parse("10.1.2.3:7001"), got.address());
        assertArrayEquals(PROOF, got.admission());
        assertArrayEquals(sent.encoded(), got.encoded());
    }

    @Test
    void aLeaveRecordWithoutAdmissionReadsBack() {
        MemberRecord sent = MemberRecord.sign(ROOM, keys(2), 5, MemberRecord.LEFT, "bob",
                address(2), new byte[0]);
        MemberRecord got = read(sent.encoded());
        assertFalse(got.joined());
        assertEquals(0, got.admission().length);
        assertEquals("bob", got.name());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static void assertRefused(byte[] b, String what) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> read(b), what);
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void aRecordWithAChangedNameIsRefused() {
        byte[] b = alice().encoded();
        b[indexOf(b, "alice".getBytes(StandardCharsets.US_ASCII)) + 4] = 'a';
        ProtocolException e = assertThrows(ProtocolException.class, () -> read(b));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void aRecordWithAChangedAddressIsRefused() {
        byte[] b = alice().encoded();
        b[indexOf(b, "10.1.2.3:7001".getBytes(StandardCharsets.US_ASCII)) + 12] = '2';
        assertRefused(b, "address");
    }

    @Test
    void aRecordWithItsStateTurnedFromJoinedToLeftIsRefused() {
        MemberRecord r = alice();
        byte[] b = r.encoded();
        int stateAt = 16 + 32 + 8;
        assertEquals(MemberRecord.JOINED, b[stateAt]);
        b[stateAt] = MemberRecord.LEFT;
        assertRefused(b, "state");
    }

    @Test
    void aRecordWithAnotherIncarnationOrRoomIsRefused() {
        byte[] b = alice().encoded();
        ByteBuffer.wrap(b).putLong(16 + 32, 1_700_000_000_002L);
        assertRefused(b, "incarnation");
        byte[] c = alice().encoded();
        c[3] ^= 1;
        assertRefused(c, "room");
    }

    @Test
    void aFlippedBitInAnyByteIsRefused() {
        byte[] good = alice().encoded();
        for (int i = 0; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x01;
            assertRefused(b, "byte " + i);
        }
    }

    @Test
    void aRecordTruncatedAtAnyLengthIsRefused() {
        byte[] good = alice().encoded();
        for (int n = 0; n < good.length; n++) {
            assertRefused(Arrays.copyOf(good, n), "length " + n);
        }
    }

    @Test
    void aSignedRecordWithAnInvalidNameIsRefused() {
        for (String bad : new String[] {"", "a b", "a/b", "аlice"}) {
            byte[] b = handMadeRecord(1, ROOM, 1, MemberRecord.JOINED,
                    bad.getBytes(StandardCharsets.UTF_8),
                    "10.0.0.1:1".getBytes(StandardCharsets.US_ASCII), new byte[0]);
            assertRefused(b, "name '" + bad + "'");
        }
    }

    @Test
    void aSignedRecordWithInvalidUtf8InItsNameIsRefused() {
        byte[] b = handMadeRecord(1, ROOM, 1, MemberRecord.JOINED, new byte[] {'a', (byte) 0xc3},
                "10.0.0.1:1".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        ProtocolException e = assertThrows(ProtocolException.class, () -> read(b));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void aSignedRecordWithAnInvalidAddressIsRefused() {
        for (String bad : new String[] {"nohost", "10.0.0.1:99999", ":1", "a b:1"}) {
            byte[] b = handMadeRecord(1, ROOM, 1, MemberRecord.JOINED, "alice".getBytes(
                    StandardCharsets.US_ASCII), bad.getBytes(StandardCharsets.UTF_8), new byte[0]);
            assertRefused(b, "address '" + bad + "'");
        }
    }

    @Test
    void aSignedRecordWithAnUnknownStateOrAnOddAdmissionIsRefused() {
        byte[] name = "alice".getBytes(StandardCharsets.US_ASCII);
        byte[] addr = "10.0.0.1:1".getBytes(StandardCharsets.US_ASCII);
        assertRefused(handMadeRecord(1, ROOM, 1, (byte) 3, name, addr, new byte[0]), "state 3");
        assertRefused(handMadeRecord(1, ROOM, 1, (byte) 0, name, addr, new byte[0]), "state 0");
        assertRefused(handMadeRecord(1, ROOM, 1, MemberRecord.JOINED, name, addr, new byte[31]),
                "admission of 31 bytes");
        MemberRecord ok = read(handMadeRecord(1, ROOM, 1, MemberRecord.JOINED, name, addr,
                new byte[32]));
        assertEquals("alice", ok.name());
    }

    @Test
    void supersedesPrefersTheHigherIncarnationThenALeave() {
        MemberRecord j5 = RoomFixtures.joined(1, 5, "alice");
        MemberRecord l5 = RoomFixtures.left(1, 5, "alice");
        MemberRecord j6 = RoomFixtures.joined(1, 6, "alice");
        assertTrue(j6.supersedes(j5));
        assertTrue(j6.supersedes(l5));
        assertTrue(l5.supersedes(j5));
        assertFalse(j5.supersedes(l5));
        assertFalse(j5.supersedes(j6));
        assertFalse(j5.supersedes(j5));
        assertFalse(l5.supersedes(l5));
    }
}
