package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.session.Ed25519;

/**
 * A message published in a room, as it travels from member to member unchanged, signed by its
 * origin (PROTOCOL.md, "Room messages"):
 *
 * <pre>
 * room id (16) | origin's Ed25519 key (32) | incarnation (8) | seq (8) | sent at, ms (8)
 *   | text (UTF-8, the rest) | signature (64)
 * </pre>
 *
 * <p>The signature covers {@code "p2pchat room message v4" 0x00} and every byte before it, so
 * no relay can forge a message, change its origin, text, time or number, or move it to another
 * room; a replayed one carries an id already seen and is dropped as a copy. Reading
 * ({@link #read}) checks the layout only; {@link #verify} checks the signature, which costs
 * about half a millisecond, so duplicates are dropped before it. Immutable.
 */
final class RoomPost {
    /** Bytes besides the text. */
    static final int OVERHEAD = 16 + 32 + 8 + 8 + 8 + Ed25519.SIGNATURE_BYTES;
    private static final byte[] DOMAIN =
            "p2pchat room message v4\0".getBytes(StandardCharsets.US_ASCII);
    /** The highest sequence number accepted (as for direct messages). */
    static final long MAX_SEQ = 1L << 62;

    private final RoomId room;
    private final byte[] origin;
    private final long incarnation;
    private final long seq;
    private final long sentAt;
    private final byte[] encoded;
    private final int textOffset;
    private final int textLength;
    private PeerKey originKey;

    private RoomPost(RoomId room, byte[] origin, long incarnation, long seq, long sentAt,
            byte[] encoded, int textOffset, int textLength) {
        this.room = room;
        this.origin = origin;
        this.incarnation = incarnation;
        this.seq = seq;
        this.sentAt = sentAt;
        this.encoded = encoded;
        this.textOffset = textOffset;
        this.textLength = textLength;
    }

    /**
     * Makes and signs a message of this peer.
     *
     * @param room the room
     * @param signer this peer's signing keys
     * @param incarnation this peer's incarnation in the room
     * @param seq its next number there, from 1
     * @param sentAt now, in milliseconds since the epoch
     * @param utf8 the text
     * @return the message
     */
    static RoomPost sign(RoomId room, Ed25519.Keys signer, long incarnation, long seq, long sentAt,
            byte[] utf8) {
        byte[] origin = signer.publicKey();
        ByteBuffer b = ByteBuffer.allocate(DOMAIN.length + OVERHEAD + utf8.length);
        b.put(DOMAIN);
        room.write(b);
        b.put(origin).putLong(incarnation).putLong(seq).putLong(sentAt).put(utf8);
        byte[] signature = signer.sign(b.array(), 0, b.position());
        b.put(signature);
        byte[] encoded = java.util.Arrays.copyOfRange(b.array(), DOMAIN.length, b.capacity());
        return new RoomPost(room, origin, incarnation, seq, sentAt, encoded, OVERHEAD
                - Ed25519.SIGNATURE_BYTES, utf8.length);
    }

    /**
     * Reads a message's fields, without checking its signature.
     *
     * @param encoded the message's bytes, owned by the post from now on
     * @return the message
     * @throws ProtocolException if it is malformed
     */
    static RoomPost read(byte[] encoded) {
        if (encoded.length < OVERHEAD) {
            throw new ProtocolException("room message of " + encoded.length + " bytes; at least "
                    + OVERHEAD + " expected");
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        RoomId room = RoomId.read(in);
        byte[] origin = RoomFields.bytes(in, Ed25519.PUBLIC_KEY_BYTES, "origin");
        long incarnation = in.getLong();
        long seq = in.getLong();
        long sentAt = in.getLong();
        if (seq < 1 || seq > MAX_SEQ) {
            throw new ProtocolException("room message numbered " + Long.toUnsignedString(seq));
        }
        return new RoomPost(room, origin, incarnation, seq, sentAt, encoded, in.position(),
                encoded.length - in.position() - Ed25519.SIGNATURE_BYTES);
    }

    /**
     * Whether the message names this signing key as its origin: a member signs with the key of
     * its record, not with another that maps to the same peer key (the map ignores a sign bit).
     */
    boolean signedWith(byte[] signingKey) {
        return java.util.Arrays.equals(origin, signingKey);
    }

    /** Whether the origin's signature holds; about half a millisecond. */
    boolean verify() {
        byte[] signed = new byte[DOMAIN.length + textOffset + textLength];
        System.arraycopy(DOMAIN, 0, signed, 0, DOMAIN.length);
        System.arraycopy(encoded, 0, signed, DOMAIN.length, textOffset + textLength);
        byte[] signature = java.util.Arrays.copyOfRange(encoded, textOffset + textLength,
                encoded.length);
        return Ed25519.verify(origin, signed, 0, signed.length, signature);
    }

    RoomId room() {
        return room;
    }

    /** The origin's peer key, or null if its signing key is not a usable one. */
    PeerKey originKey() {
        if (originKey == null) {
            originKey = Ed25519.peerKeyOf(origin);
        }
        return originKey;
    }

    long incarnation() {
        return incarnation;
    }

    long seq() {
        return seq;
    }

    long sentAt() {
        return sentAt;
    }

    /**
     * The text, strictly decoded.
     *
     * @throws ProtocolException if it is not valid UTF-8
     */
    String text() {
        return RoomFields.utf8(java.util.Arrays.copyOfRange(encoded, textOffset,
                textOffset + textLength), "text");
    }

    int textBytes() {
        return textLength;
    }

    /** The bytes as they travel; not to be changed. */
    byte[] encoded() {
        return encoded;
    }

    @Override
    public String toString() {
        PeerKey k = originKey();
        return "room message " + (k == null ? "?" : k.fingerprint()) + "/" + incarnation + "/" + seq;
    }
}
