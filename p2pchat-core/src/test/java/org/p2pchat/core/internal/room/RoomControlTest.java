package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.p2pchat.core.internal.room.RoomFixtures.ROOM;
import static org.p2pchat.core.internal.room.RoomFixtures.joined;
import static org.p2pchat.core.internal.room.RoomFixtures.keys;
import static org.p2pchat.core.internal.room.RoomFixtures.left;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomJoinException.Reason;

class RoomControlTest {
    private static final byte[] SECRET = new byte[32];

    static {
        Arrays.fill(SECRET, (byte) 0x5a);
    }

    private static List<RoomSequencer.Position> positions() {
        return List.of(new RoomSequencer.Position(peerKey(1), keys(1).publicKey(), 10, 3),
                new RoomSequencer.Position(peerKey(2), keys(2).publicKey(), 20, 1));
    }

    /** One encoded message of every type. */
    private static List<byte[]> everyType() {
        return List.of(RoomControl.ask("lobby"),
                RoomControl.offer(ROOM, RoomAccess.INVITE_ONLY, "lobby"),
                RoomControl.join(joined(1, 5, "alice")),
                RoomControl.welcome(ROOM, RoomAccess.INVITE_ONLY, SECRET, positions()),
                RoomControl.welcome(ROOM, RoomAccess.OPEN, new byte[0], List.of()),
                RoomControl.refused("lobby", Reason.NAME_TAKEN, "the name is taken"),
                RoomControl.announce(left(2, 6, "bob")),
                RoomControl.digest(ROOM, List.of(joined(1, 5, "alice"), left(2, 6, "bob"))),
                RoomControl.join(joined(3, 7, "carol"), positions()),
                RoomControl.join(joined(3, 7, "carol"), List.of()),
                RoomControl.positions(ROOM, positions()),
                RoomControl.positions(ROOM, List.of()));
    }

    /** Whether a message cut to {@code n} bytes is a valid one: a JOIN cut at its record's end. */
    private static boolean validCut(byte[] good, int n) {
        return good[0] == RoomControl.JOIN && n == 1 + joined(3, 7, "carol").encodedBytes()
                && good.length > n;
    }

    @Test
    void askAndOfferRoundTrip() {
        assertEquals(new RoomControl.Ask("lobby"), RoomControl.read(RoomControl.ask("lobby")));
        assertEquals(new RoomControl.Offer(ROOM, RoomAccess.OPEN, "lobby"),
                RoomControl.read(RoomControl.offer(ROOM, RoomAccess.OPEN, "lobby")));
        assertEquals(new RoomControl.Offer(ROOM, RoomAccess.INVITE_ONLY, "x"),
                RoomControl.read(RoomControl.offer(ROOM, RoomAccess.INVITE_ONLY, "x")));
    }

    @Test
    void joinAndAnnounceCarryAVerifiedRecord() {
        MemberRecord r = joined(1, 5, "alice");
        var join = assertInstanceOf(RoomControl.Join.class, RoomControl.read(RoomControl.join(r)));
        assertArrayEquals(r.encoded(), join.record().encoded());
        var announce = assertInstanceOf(RoomControl.Announce.class,
                RoomControl.read(RoomControl.announce(r)));
        assertArrayEquals(r.encoded(), announce.record().encoded());
    }

    @Test
    void aForgedRecordInAnAnnounceIsRefused() {
        byte[] b = RoomControl.announce(joined(1, 5, "alice"));
        b[b.length - 70] ^= 1; // inside the admission length / address, before the signature
        assertThrows(ProtocolException.class, () -> RoomControl.read(b));
        byte[] c = RoomControl.announce(joined(1, 5, "alice"));
        c[c.length - 1] ^= 1; // the signature
        assertThrows(ProtocolException.class, () -> RoomControl.read(c));
    }

    @Test
    void welcomeRoundTripsWithAndWithoutSecret() {
        var w = assertInstanceOf(RoomControl.Welcome.class, RoomControl.read(
                RoomControl.welcome(ROOM, RoomAccess.INVITE_ONLY, SECRET, positions())));
        assertEquals(ROOM, w.id());
        assertEquals(RoomAccess.INVITE_ONLY, w.access());
        assertArrayEquals(SECRET, w.secret());
        assertEquals(2, w.positions().size());
        for (int i = 0; i < 2; i++) {
            RoomSequencer.Position want = positions().get(i);
            RoomSequencer.Position got = w.positions().get(i);
            assertEquals(want.origin(), got.origin());
            assertArrayEquals(want.signingKey(), got.signingKey());
            assertEquals(want.incarnation(), got.incarnation());
            assertEquals(want.next(), got.next());
        }
        var open = assertInstanceOf(RoomControl.Welcome.class, RoomControl.read(
                RoomControl.welcome(ROOM, RoomAccess.OPEN, new byte[0], List.of())));
        assertEquals(0, open.secret().length);
        assertEquals(RoomAccess.OPEN, open.access());
        assertTrue(open.positions().isEmpty());
    }

    @Test
    void refusedRoundTripsItsReasonAndText() {
        for (Reason reason : Reason.values()) {
            var r = assertInstanceOf(RoomControl.Refused.class, RoomControl.read(
                    RoomControl.refused("lobby", reason, "because " + reason)));
            assertEquals(new RoomControl.Refused("lobby", reason, "because " + reason), r);
        }
    }

    @Test
    void aLongRefusalTextIsCutToFitItsField() {
        String longText = "x".repeat(1000);
        var r = (RoomControl.Refused) RoomControl.read(RoomControl.refused("lobby",
                Reason.PROTOCOL, longText));
        assertEquals(255, r.text().length());
        String wide = "\u00e9\ud83d\ude00".repeat(100);
        var w = (RoomControl.Refused) RoomControl.read(RoomControl.refused("lobby",
                Reason.NAME_TAKEN, wide));
        assertTrue(wide.startsWith(w.text()), "cut between whole characters");
        assertTrue(w.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255);
    }

    @Test
    void anUnknownRefusalReasonReadsAsProtocol() {
        byte[] b = RoomControl.refused("lobby", Reason.NAME_TAKEN, "t");
        b[1 + 1 + 5] = 100;
        assertEquals(Reason.PROTOCOL, ((RoomControl.Refused) RoomControl.read(b)).reason());
    }

    @Test
    void digestRoundTripsEachEntry() {
        var d = assertInstanceOf(RoomControl.Digest.class, RoomControl.read(RoomControl.digest(
                ROOM, List.of(joined(1, 5, "alice"), left(2, 6, "bob")))));
        assertEquals(ROOM, d.id());
        assertEquals(2, d.entries().size());
        assertArrayEquals(keys(1).publicKey(), d.entries().get(0).signingKey());
        assertEquals(5, d.entries().get(0).incarnation());
        assertTrue(d.entries().get(0).joined());
        assertArrayEquals(keys(2).publicKey(), d.entries().get(1).signingKey());
        assertEquals(6, d.entries().get(1).incarnation());
        assertFalse(d.entries().get(1).joined());
    }

    @Test
    void aDigestEntryWithAStateThatIsNeitherJoinedNorLeftIsRefused() {
        byte[] d = RoomControl.digest(ROOM, List.of(joined(1, 5, "alice")));
        d[d.length - 1] = 3;
        assertThrows(ProtocolException.class, () -> RoomControl.read(d));
    }

    @Test
    void everyTypeTruncatedAtAnyLengthIsRefused() {
        for (byte[] good : everyType()) {
            RoomControl.read(good);
            for (int n = 0; n < good.length; n++) {
                byte[] b = Arrays.copyOf(good, n);
                if (validCut(good, n)) {
                    assertEquals(null, ((RoomControl.Join) RoomControl.read(b)).positions());
                    continue;
                }
                assertThrows(ProtocolException.class, () -> RoomControl.read(b),
                        "type " + good[0] + " cut to " + n + " of " + good.length);
            }
        }
    }

    @Test
    void everyTypeWithTrailingBytesIsRefused() {
        for (byte[] good : everyType()) {
            byte[] b = Arrays.copyOf(good, good.length + 1);
            ProtocolException e = assertThrows(ProtocolException.class, () -> RoomControl.read(b),
                    "type " + good[0]);
            // after a JOIN's record, a byte starts the optional positions, and ends inside them
            boolean plainJoin = good[0] == RoomControl.JOIN && good.length
                    == 1 + joined(1, 5, "alice").encodedBytes();
            assertTrue(e.getMessage().contains(plainJoin ? "ends inside its count" : "trailing"),
                    e.getMessage());
        }
    }

    @Test
    void anUnknownTypeIsRefused() {
        assertThrows(ProtocolException.class, () -> RoomControl.read(new byte[] {0}));
        assertThrows(ProtocolException.class, () -> RoomControl.read(new byte[] {9, 0, 0}));
        assertThrows(ProtocolException.class, () -> RoomControl.read(new byte[] {-1}));
    }

    @Test
    void aJoinCarriesWhereTheJoinerStoppedOrNothingInTheOldLayout() {
        MemberRecord r = joined(3, 7, "carol");
        var old = assertInstanceOf(RoomControl.Join.class, RoomControl.read(RoomControl.join(r)));
        assertEquals(null, old.positions(), "a JOIN that ends after its record lists nothing");
        byte[] encoded = RoomControl.join(r, positions());
        assertEquals(1 + r.encodedBytes() + 2 + 2 * 48, encoded.length);
        var join = assertInstanceOf(RoomControl.Join.class, RoomControl.read(encoded));
        assertArrayEquals(r.encoded(), join.record().encoded());
        assertPositions(positions(), join.positions());
        var empty = assertInstanceOf(RoomControl.Join.class,
                RoomControl.read(RoomControl.join(r, List.of())));
        assertEquals(List.of(), empty.positions(), "an empty list is not no list");
    }

    @Test
    void positionsRoundTripByteForByte() {
        byte[] encoded = RoomControl.positions(ROOM, positions());
        ByteBuffer want = ByteBuffer.allocate(1 + 16 + 2 + 2 * 48);
        want.put((byte) 8);
        ROOM.write(want);
        want.putShort((short) 2);
        want.put(keys(1).publicKey()).putLong(10).putLong(3);
        want.put(keys(2).publicKey()).putLong(20).putLong(1);
        assertArrayEquals(want.array(), encoded);
        var p = assertInstanceOf(RoomControl.Positions.class, RoomControl.read(encoded));
        assertEquals(ROOM, p.id());
        assertPositions(positions(), p.positions());
    }

    @Test
    void positionsBeyondWhatAViewHoldsAreRefused() {
        ByteBuffer b = ByteBuffer.allocate(1 + 16 + 2);
        b.put(RoomControl.POSITIONS);
        ROOM.write(b);
        b.putShort((short) (RoomControl.MAX_POSITIONS + 1));
        ProtocolException e = assertThrows(ProtocolException.class, () -> RoomControl.read(b.array()));
        assertTrue(e.getMessage().contains("positions"), e.getMessage());
        byte[] zero = RoomControl.positions(ROOM, List.of(new RoomSequencer.Position(peerKey(1),
                keys(1).publicKey(), 1, 0)));
        assertThrows(ProtocolException.class, () -> RoomControl.read(zero));
    }

    private static void assertPositions(List<RoomSequencer.Position> want,
            List<RoomSequencer.Position> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).origin(), got.get(i).origin());
            assertArrayEquals(want.get(i).signingKey(), got.get(i).signingKey());
            assertEquals(want.get(i).incarnation(), got.get(i).incarnation());
            assertEquals(want.get(i).next(), got.get(i).next());
        }
    }

    @Test
    void anUnknownAccessIsRefused() {
        byte[] b = RoomControl.offer(ROOM, RoomAccess.OPEN, "lobby");
        b[17] = 2;
        assertThrows(ProtocolException.class, () -> RoomControl.read(b));
        byte[] w = RoomControl.welcome(ROOM, RoomAccess.OPEN, new byte[0], List.of());
        w[17] = (byte) 0xff;
        assertThrows(ProtocolException.class, () -> RoomControl.read(w));
    }

    @Test
    void hugeCountsInAShortFrameAreRefusedBeforeAnythingIsAllocated() {
        // count 65535 positions (3 MB) or digest entries (2.6 MB) announced in a 20-byte frame
        ByteBuffer w = ByteBuffer.allocate(1 + 16 + 1 + 1 + 2);
        w.put(RoomControl.WELCOME);
        ROOM.write(w);
        w.put((byte) 0).put((byte) 0).putShort((short) 0xffff);
        ProtocolException e = assertThrows(ProtocolException.class, () -> RoomControl.read(w.array()));
        assertTrue(e.getMessage().contains("positions"), e.getMessage());
        ByteBuffer d = ByteBuffer.allocate(1 + 16 + 2 + 41);
        d.put(RoomControl.DIGEST);
        ROOM.write(d);
        d.putShort((short) 0xffff);
        assertThrows(ProtocolException.class, () -> RoomControl.read(d.array()));
    }

    @Test
    void aWelcomeWithAnOddSecretOrAnInvalidPositionIsRefused() {
        assertThrows(ProtocolException.class, () -> RoomControl.read(RoomControl.welcome(ROOM,
                RoomAccess.INVITE_ONLY, new byte[16], List.of())));
        byte[] badKey = new byte[32];
        badKey[0] = 1; // y = 1 maps to no X25519 key
        assertThrows(ProtocolException.class, () -> RoomControl.read(RoomControl.welcome(ROOM,
                RoomAccess.OPEN, new byte[0], List.of(new RoomSequencer.Position(peerKey(1),
                        badKey, 1, 1)))));
        for (long next : new long[] {0, -5, RoomPost.MAX_SEQ + 1}) {
            assertThrows(ProtocolException.class, () -> RoomControl.read(RoomControl.welcome(ROOM,
                    RoomAccess.OPEN, new byte[0], List.of(new RoomSequencer.Position(peerKey(1),
                            keys(1).publicKey(), 1, next)))), "next " + next);
        }
    }

    @Test
    void invalidUtf8InARoomNameIsRefused() {
        byte[] b = {RoomControl.ASK, 2, (byte) 0xc3, 0x28};
        ProtocolException e = assertThrows(ProtocolException.class, () -> RoomControl.read(b));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void randomlyMangledMessagesNeverThrowAnythingButProtocolException() {
        Random random = new Random(12);
        List<byte[]> all = everyType();
        for (int i = 0; i < 3000; i++) {
            byte[] b = RoomPostTest.mangle(random, all.get(random.nextInt(all.size())));
            try {
                RoomControl.read(b);
            } catch (ProtocolException expected) {
                // refused
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("mangled control message " + Arrays.toString(b) + " threw " + e, e);
            }
        }
    }
}
