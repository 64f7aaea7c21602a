package org.p2pchat.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.ProtocolException;

/**
 * Encodes and decodes the payloads of p2pchat frames (PROTOCOL.md). The first byte of every frame
 * is its type; new types get new numbers, so older peers reject what they cannot read instead of
 * misreading it. Stateless and thread-safe.
 */
public final class WireCodec {
    /** The protocol version a HELLO announces. */
    public static final int VERSION = 3;
    /** Names a peer inside a handshake message: version, name, listen address. */
    public static final byte HELLO = 1;
    /** The acceptor refuses the opener's key: the rest is a UTF-8 reason. */
    public static final byte REFUSE = 3;
    /** The acceptor trusts the opener's key: the conversation may start. */
    public static final byte ACCEPT = 4;
    /** Longest REFUSE reason sent, in bytes. */
    private static final int MAX_REASON_BYTES = 1024;

    private static final int MAX_FIELD_BYTES = 255;
    /** The smallest frame limit a peer may announce: a short message with its headers and tag. */
    public static final int MIN_FRAME_BYTES = 64;

    private WireCodec() {
    }

    /** What a HELLO frame says. */
    record Hello(String name, PeerAddress listenAddress, long epoch, int maxFrameBytes) {
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
            int maxFrameBytes) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] a = listenAddress.toString().getBytes(StandardCharsets.UTF_8);
        if (n.length > MAX_FIELD_BYTES || a.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("name and address must each fit in 255 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + a.length + 8 + 4);
        b.put(HELLO).put((byte) VERSION).put((byte) n.length).put(n).put((byte) a.length).put(a);
        return b.putLong(epoch).putInt(maxFrameBytes).flip();
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
     * @param reason why, cut to 1 KiB
     * @param maxBytes the most the frame may hold, so that the receiver reads it
     * @return the frame
     */
    public static ByteBuffer refuse(String reason, int maxBytes) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.max(0, Math.min(Math.min(r.length, MAX_REASON_BYTES), maxBytes - 1));
        return ByteBuffer.allocate(1 + n).put(REFUSE).put(r, 0, n).flip();
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
            throw new ProtocolException("HELLO of protocol version " + version + "; this peer speaks "
                    + VERSION);
        }
        String name = readField(frame, "name");
        String address = readField(frame, "listen address");
        if (frame.remaining() < 12) {
            throw new ProtocolException("HELLO ends before its epoch and frame limit");
        }
        long epoch = frame.getLong();
        int maxFrameBytes = frame.getInt();
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new ProtocolException("HELLO announces a frame limit of " + maxFrameBytes
                    + " bytes; at least " + MIN_FRAME_BYTES + " are needed");
        }
        if (frame.hasRemaining()) {
            throw new ProtocolException("HELLO has " + frame.remaining() + " trailing bytes");
        }
        try {
            return new Hello(PeerEntry.validateName(name), PeerAddress.parse(address), epoch,
                    maxFrameBytes);
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
