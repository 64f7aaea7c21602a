package org.p2pchat.core.internal.link;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.session.Ed25519;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.noise.CipherState;

/**
 * Encodes and decodes the payloads of p2pchat frames (PROTOCOL.md). The first byte of every frame
 * is its type; new types get new numbers, so older peers reject what they cannot read instead of
 * misreading it. Stateless and thread-safe.
 */
public final class WireCodec {
    /** The protocol version a HELLO announces. */
    public static final int VERSION = 5;
    /** Names a peer inside a handshake message: version, name, listen address. */
    public static final byte HELLO = 1;
    /**
     * How a REFUSE reason starts when the refusal is not about the caller's identity but a
     * passing lack of room (connection places): the caller may try again later.
     */
    static final String BUSY_PREFIX = "busy: ";
    /** The acceptor refuses the opener's key: the rest is a UTF-8 reason. */
    public static final byte REFUSE = 3;
    /** The acceptor trusts the opener's key: the conversation may start. */
    public static final byte ACCEPT = 4;
    /** Longest REFUSE reason sent, in bytes. */
    private static final int MAX_REASON_BYTES = 1024;

    private static final int MAX_FIELD_BYTES = 255;
    /** The smallest frame limit a peer may announce: a short message with its headers and tag. */
    public static final int MIN_FRAME_BYTES = 64;
    /**
     * Longest reason of a REFUSE for another protocol version: the other side's frame limit is
     * unknown (its HELLO could not be read), so the frame fits the smallest any peer may have.
     */
    static final int MAX_VERSION_REASON_BYTES = MIN_FRAME_BYTES - CipherState.TAG_BYTES - 1;

    private WireCodec() {
    }

    /**
     * What a HELLO frame says.
     *
     * @param maxFrameBytes the sender's frame limit, at least {@link #MIN_FRAME_BYTES}; an
     *     announced limit beyond {@link Integer#MAX_VALUE} (the field is a uint32) is read as
     *     {@link Integer#MAX_VALUE}, since no frame here can be longer anyway
     */
    public record Hello(String name, PeerAddress listenAddress, long epoch, int maxFrameBytes,
            byte[] signingKey) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && name.equals(h.name) && listenAddress.equals(h.listenAddress)
                    && epoch == h.epoch && maxFrameBytes == h.maxFrameBytes
                    && java.util.Arrays.equals(signingKey, h.signingKey);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(name, listenAddress, epoch, maxFrameBytes)
                    * 31 + java.util.Arrays.hashCode(signingKey);
        }

        @Override
        public String toString() {
            return "Hello[" + name + " at " + listenAddress + ", epoch " + epoch + ", maxFrame "
                    + maxFrameBytes + "]";
        }
    }

    /**
     * Checks that the signing key a HELLO names belongs to the key the handshake proved (the
     * X25519 key is derived from the same seed: {@link Ed25519#peerKeyOf}), so the peer holds
     * the key its room messages are signed with.
     *
     * @param hello the HELLO
     * @param proven the key the handshake proved
     * @throws ProtocolException if it does not
     */
    public static void checkSigningKey(Hello hello, PeerKey proven) {
        if (!proven.equals(Ed25519.peerKeyOf(hello.signingKey()))) {
            throw new ProtocolException("HELLO names a signing key that does not belong to the"
                    + " key the handshake proved");
        }
    }

    /**
     * Encodes a HELLO frame.
     *
     * @param name the sender's name
     * @param listenAddress where the sender listens
     * @param epoch a random number the sender drew when it started, so the receiver can tell a
     *     restarted sender (whose message numbers start again) from a reconnecting one
     * @param maxFrameBytes the largest frame the sender accepts
     * @return the frame payload, ready to write
     */
    public static ByteBuffer hello(String name, PeerAddress listenAddress, long epoch,
            int maxFrameBytes, byte[] signingKey) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] a = listenAddress.toString().getBytes(StandardCharsets.UTF_8);
        if (n.length > MAX_FIELD_BYTES || a.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("name and address must each fit in 255 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + a.length + 8 + 4 + Ed25519.PUBLIC_KEY_BYTES);
        b.put(HELLO).put((byte) VERSION).put((byte) n.length).put(n).put((byte) a.length).put(a);
        return b.putLong(epoch).putInt(maxFrameBytes).put(signingKey).flip();
    }

    /**
     * Encodes an ACCEPT frame.
     *
     * @return the frame
     */
    public static ByteBuffer accept() {
        return ByteBuffer.wrap(new byte[] {ACCEPT});
    }

    /**
     * Encodes a REFUSE frame.
     *
     * @param reason why, cut to 1 KiB at a character boundary
     * @param maxBytes the most the frame may hold, so that the receiver reads it
     * @return the frame
     */
    public static ByteBuffer refuse(String reason, int maxBytes) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.max(0, Math.min(Math.min(r.length, MAX_REASON_BYTES), maxBytes - 1));
        while (n > 0 && n < r.length && (r[n] & 0xC0) == 0x80) {
            n--; // r[n] continues a character: cut before that character, not inside it
        }
        return ByteBuffer.allocate(1 + n).put(REFUSE).put(r, 0, n).flip();
    }

    /**
     * Encodes the REFUSE a responder sends for a HELLO of another protocol version: it names both
     * versions, and fits any frame limit, so that a peer of that version can read it.
     *
     * @param theirs the version the other side's HELLO announced
     * @return the frame
     */
    public static ByteBuffer refuseVersion(int theirs) {
        String reason = "p2pchat protocol " + VERSION + " here, yours is " + theirs
                + (theirs < VERSION ? ": upgrade" : "");
        return refuse(reason, MAX_VERSION_REASON_BYTES + 1);
    }

    /**
     * Reads the protocol version of a HELLO carried as a handshake payload, and nothing else of
     * it: the rest of a HELLO of another version may be laid out differently.
     *
     * @param payload the payload, type byte included
     * @return the version, 0 to 255
     * @throws ProtocolException if it is not a HELLO or ends before its version
     */
    static int helloVersion(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        byte type = type(b);
        if (type != HELLO) {
            throw new ProtocolException("expected a HELLO in the handshake, got type " + type);
        }
        if (!b.hasRemaining()) {
            throw new ProtocolException("HELLO without a version");
        }
        return b.get() & 0xff;
    }

    /**
     * Describes a HELLO of another version, naming both.
     *
     * @param theirs the version the HELLO announced
     * @return the description
     */
    static String otherVersion(int theirs) {
        return "HELLO of p2pchat protocol version " + theirs + "; this peer speaks version "
                + VERSION;
    }

    /**
     * Reads a HELLO carried as a handshake payload (type byte included).
     *
     * @param payload the payload
     * @return what it says
     * @throws ProtocolException if it is not a well-formed HELLO
     */
    static Hello readHelloPayload(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        byte type = type(b);
        if (type != HELLO) {
            throw new ProtocolException("expected a HELLO in the handshake, got type " + type);
        }
        return readHello(b);
    }

    /**
     * Reads the type byte of a frame, advancing past it.
     *
     * @param frame the frame payload
     * @return the type
     * @throws ProtocolException if the frame is empty
     */
    public static byte type(ByteBuffer frame) {
        if (!frame.hasRemaining()) {
            throw new ProtocolException("empty frame: expected a type byte");
        }
        return frame.get();
    }

    /**
     * Reads the body of a HELLO frame (after its type byte).
     *
     * @param frame the frame, positioned after the type byte
     * @return what it says
     * @throws ProtocolException if it is malformed, of another version, or names an invalid peer
     */
    static Hello readHello(ByteBuffer frame) {
        if (frame.remaining() < 1) {
            throw new ProtocolException("HELLO without a version");
        }
        int version = frame.get() & 0xff;
        if (version != VERSION) {
            throw new ProtocolException(otherVersion(version));
        }
        String name = readField(frame, "name");
        String address = readField(frame, "listen address");
        if (frame.remaining() < 12 + Ed25519.PUBLIC_KEY_BYTES) {
            throw new ProtocolException("HELLO ends before its epoch, frame limit and signing key");
        }
        long epoch = frame.getLong();
        long announced = Integer.toUnsignedLong(frame.getInt());
        if (announced < MIN_FRAME_BYTES) {
            throw new ProtocolException("HELLO announces a frame limit of " + announced
                    + " bytes; at least " + MIN_FRAME_BYTES + " are needed");
        }
        // Frames are at most 2^31 - 1 bytes (the length prefix's top bit is never set), so a
        // larger limit is no limit beyond that.
        int maxFrameBytes = (int) Math.min(announced, Integer.MAX_VALUE);
        byte[] signingKey = new byte[Ed25519.PUBLIC_KEY_BYTES];
        frame.get(signingKey);
        if (frame.hasRemaining()) {
            throw new ProtocolException("HELLO has " + frame.remaining() + " trailing bytes");
        }
        try {
            return new Hello(PeerEntry.validateName(name), PeerAddress.parse(address), epoch,
                    maxFrameBytes, signingKey);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("HELLO with an invalid field: " + e.getMessage(), e);
        }
    }

    private static String readField(ByteBuffer frame, String what) {
        if (!frame.hasRemaining()) {
            throw new ProtocolException("HELLO ends before its " + what);
        }
        int length = frame.get() & 0xff;
        if (frame.remaining() < length) {
            throw new ProtocolException("HELLO " + what + " of " + length + " bytes, but only "
                    + frame.remaining() + " remain");
        }
        ByteBuffer field = frame.slice(frame.position(), length);
        frame.position(frame.position() + length);
        try {
            // Strict: a name must not change on the way in (no U+FFFD substitutions).
            return StandardCharsets.UTF_8.newDecoder().decode(field).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("HELLO " + what + " is not valid UTF-8", e);
        }
    }
}
