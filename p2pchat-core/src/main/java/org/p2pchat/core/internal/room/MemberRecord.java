package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.session.Ed25519;

/**
 * What a member says of itself in a room, signed with its own key, so that no other member can
 * change its name or address, announce a leave for it, or replay an old record over a newer one
 * (PROTOCOL.md, "Member records"):
 *
 * <pre>
 * room id (16) | Ed25519 key (32) | incarnation (8) | state (1) | name (1 + n) | address (1 + n)
 *   | admission (1 + 0 or 32) | signature (64)
 * </pre>
 *
 * <p>The incarnation grows each time the member joins (its clock in milliseconds when it joined,
 * or one more than its last); of two records of one member the one with the higher incarnation
 * holds, and at equal incarnations a leave beats a join. The admission is, in an invite-only
 * room, HMAC-SHA256(secret, "p2pchat admission v4" 0x00 | room id | Ed25519 key): proof that
 * the member was given the invite. Immutable.
 */
final class MemberRecord {
    static final byte JOINED = 1;
    static final byte LEFT = 2;
    private static final byte[] DOMAIN = "p2pchat member v4\0".getBytes(StandardCharsets.US_ASCII);
    /** The most a record takes: fixed fields, two 255-byte texts, a proof and a signature. */
    static final int MAX_BYTES = 16 + 32 + 8 + 1 + 256 + 256 + 33 + 64;

    private final RoomId room;
    private final byte[] signingKey;
    private final PeerKey key;
    private final long incarnation;
    private final byte state;
    private final String name;
    private final PeerAddress address;
    private final byte[] admission;
    private final byte[] encoded;

    private MemberRecord(RoomId room, byte[] signingKey, PeerKey key, long incarnation, byte state,
            String name, PeerAddress address, byte[] admission, byte[] encoded) {
        this.room = room;
        this.signingKey = signingKey;
        this.key = key;
        this.incarnation = incarnation;
        this.state = state;
        this.name = name;
        this.address = address;
        this.admission = admission;
        this.encoded = encoded;
    }

    /**
     * Makes and signs a record of this peer.
     *
     * @param room the room
     * @param signer this peer's signing keys
     * @param incarnation this peer's incarnation in the room
     * @param state {@link #JOINED} or {@link #LEFT}
     * @param name its name in the room
     * @param address where it listens
     * @param admission the invite proof, or an empty array in an open room
     * @return the record
     */
    static MemberRecord sign(RoomId room, Ed25519.Keys signer, long incarnation, byte state,
            String name, PeerAddress address, byte[] admission) {
        byte[] edKey = signer.publicKey();
        String addr = address.toString();
        int bodyBytes = 16 + 32 + 8 + 1 + RoomFields.shortTextBytes(name)
                + RoomFields.shortTextBytes(addr) + 1 + admission.length;
        ByteBuffer b = ByteBuffer.allocate(DOMAIN.length + bodyBytes + Ed25519.SIGNATURE_BYTES);
        b.put(DOMAIN);
        room.write(b);
        b.put(edKey).putLong(incarnation).put(state);
        RoomFields.putShortText(b, name);
        RoomFields.putShortText(b, addr);
        b.put((byte) admission.length).put(admission);
        byte[] signature = signer.sign(b.array(), 0, b.position());
        b.put(signature);
        byte[] encoded = Arrays.copyOfRange(b.array(), DOMAIN.length, b.capacity());
        return new MemberRecord(room, edKey, Ed25519.peerKeyOf(edKey), incarnation, state, name,
                address, admission.clone(), encoded);
    }

    /**
     * Reads a record and checks its signature and fields.
     *
     * @param in positioned at a record; left after it
     * @return the record
     * @throws ProtocolException if it is malformed, or its signature does not hold
     */
    static MemberRecord read(ByteBuffer in) {
        int start = in.position();
        RoomId room = RoomId.read(in);
        byte[] edKey = RoomFields.bytes(in, Ed25519.PUBLIC_KEY_BYTES, "member key");
        RoomFields.need(in, 9, "incarnation and state");
        long incarnation = in.getLong();
        byte state = in.get();
        if (state != JOINED && state != LEFT) {
            throw new ProtocolException("member record with state " + state);
        }
        String name = RoomFields.shortText(in, "member name");
        String addr = RoomFields.shortText(in, "member address");
        RoomFields.need(in, 1, "admission");
        int proofBytes = in.get() & 0xff;
        if (proofBytes != 0 && proofBytes != Admission.BYTES) {
            throw new ProtocolException("member record with an admission of " + proofBytes
                    + " bytes");
        }
        byte[] admission = RoomFields.bytes(in, proofBytes, "admission");
        int signedEnd = in.position();
        byte[] signature = RoomFields.bytes(in, Ed25519.SIGNATURE_BYTES, "member signature");
        PeerKey key = Ed25519.peerKeyOf(edKey);
        if (key == null) {
            throw new ProtocolException("member record with an invalid key");
        }
        PeerAddress address;
        try {
            PeerEntry.validateName(name);
            address = PeerAddress.parse(addr);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("member record with an invalid field: " + e.getMessage(), e);
        }
        byte[] encoded = new byte[in.position() - start];
        in.get(start, encoded);
        byte[] signed = new byte[DOMAIN.length + signedEnd - start];
        System.arraycopy(DOMAIN, 0, signed, 0, DOMAIN.length);
        System.arraycopy(encoded, 0, signed, DOMAIN.length, signedEnd - start);
        if (!Ed25519.verify(edKey, signed, 0, signed.length, signature)) {
            throw new ProtocolException("member record of '" + name + "' (" + key.fingerprint()
                    + ") with a signature that does not hold");
        }
        return new MemberRecord(room, edKey, key, incarnation, state, name, address, admission,
                encoded);
    }

    /** Whether this record says more recent things than {@code other} of the same member. */
    boolean supersedes(MemberRecord other) {
        return incarnation != other.incarnation ? incarnation > other.incarnation
                : state == LEFT && other.state == JOINED;
    }

    RoomId room() {
        return room;
    }

    /** The raw Ed25519 key. */
    byte[] signingKey() {
        return signingKey.clone();
    }

    PeerKey key() {
        return key;
    }

    long incarnation() {
        return incarnation;
    }

    boolean joined() {
        return state == JOINED;
    }

    String name() {
        return name;
    }

    PeerAddress address() {
        return address;
    }

    byte[] admission() {
        return admission.clone();
    }

    /** The record's bytes as it travels, signature included. */
    byte[] encoded() {
        return encoded.clone();
    }

    void write(ByteBuffer out) {
        out.put(encoded);
    }

    int encodedBytes() {
        return encoded.length;
    }

    @Override
    public String toString() {
        return name + " (" + key.fingerprint() + ", incarnation " + incarnation + ", "
                + (joined() ? "joined" : "left") + ")";
    }
}
