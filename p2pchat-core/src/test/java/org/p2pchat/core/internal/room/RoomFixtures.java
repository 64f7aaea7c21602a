package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.session.Ed25519;

/** Keys, records and posts for the room tests, all derived from small numbers. */
final class RoomFixtures {
    static final RoomId ROOM = new RoomId(0x0102030405060708L, 0x1112131415161718L);
    static final RoomId OTHER_ROOM = new RoomId(7, 8);
    private static final byte[] MEMBER_DOMAIN =
            "p2pchat member v4\0".getBytes(StandardCharsets.US_ASCII);
    private static final Ed25519.Keys[] KEYS = new Ed25519.Keys[2048];

    private RoomFixtures() {
    }

    static byte[] seed(int n) {
        byte[] s = new byte[Ed25519.SEED_BYTES];
        new Random(0x5eed0000L + n).nextBytes(s);
        return s;
    }

    /** The signing keys of test member {@code n}, cached. */
    static synchronized Ed25519.Keys keys(int n) {
        if (KEYS[n] == null) {
            KEYS[n] = Ed25519.fromSeed(seed(n));
        }
        return KEYS[n];
    }

    static PeerKey peerKey(int n) {
        return Ed25519.peerKeyOf(keys(n).publicKey());
    }

    static PeerAddress address(int n) {
        return new PeerAddress("10.0." + (n / 250) + "." + (n % 250 + 1), 7000 + n % 1000);
    }

    static MemberRecord joined(int n, long incarnation, String name) {
        return MemberRecord.sign(ROOM, keys(n), incarnation, MemberRecord.JOINED, name,
                address(n), new byte[0]);
    }

    static MemberRecord left(int n, long incarnation, String name) {
        return MemberRecord.sign(ROOM, keys(n), incarnation, MemberRecord.LEFT, name,
                address(n), new byte[0]);
    }

    /** A record's bytes laid out by hand (fields given raw), signed properly by member n. */
    static byte[] handMadeRecord(int n, RoomId room, long incarnation, byte state, byte[] name,
            byte[] address, byte[] admission) {
        ByteBuffer b = ByteBuffer.allocate(MEMBER_DOMAIN.length + 16 + 32 + 8 + 1 + 1 + name.length
                + 1 + address.length + 1 + admission.length + 64);
        b.put(MEMBER_DOMAIN);
        room.write(b);
        b.put(keys(n).publicKey()).putLong(incarnation).put(state);
        b.put((byte) name.length).put(name);
        b.put((byte) address.length).put(address);
        b.put((byte) admission.length).put(admission);
        b.put(keys(n).sign(b.array(), 0, b.position()));
        byte[] out = new byte[b.capacity() - MEMBER_DOMAIN.length];
        System.arraycopy(b.array(), MEMBER_DOMAIN.length, out, 0, out.length);
        return out;
    }

    /**
     * The bytes of a post of member {@code n} laid out by hand, with an all-zero signature: for
     * the sequencer, which does not verify, without paying for a signature.
     */
    static byte[] unsignedPostBytes(int n, long incarnation, long seq, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(RoomPost.OVERHEAD + utf8.length);
        ROOM.write(b);
        b.put(keys(n).publicKey()).putLong(incarnation).putLong(seq).putLong(1_700_000_000_000L)
                .put(utf8);
        return b.array();
    }

    static RoomPost unsignedPost(int n, long incarnation, long seq) {
        return RoomPost.read(unsignedPostBytes(n, incarnation, seq, "m" + seq));
    }

    static RoomPost signedPost(int n, long incarnation, long seq, String text) {
        return RoomPost.sign(ROOM, keys(n), incarnation, seq, 1_700_000_000_000L + seq,
                text.getBytes(StandardCharsets.UTF_8));
    }
}
