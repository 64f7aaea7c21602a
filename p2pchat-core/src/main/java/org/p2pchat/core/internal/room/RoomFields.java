package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.ProtocolException;

/**
 * Reads and writes the fields of room frames (PROTOCOL.md, "Rooms"): fixed-size big-endian
 * numbers and byte strings with a one- or two-byte length. Every read checks the bytes are there
 * before it takes them. Stateless.
 */
final class RoomFields {
    private RoomFields() {
    }

    static void need(ByteBuffer in, int bytes, String what) {
        if (in.remaining() < bytes) {
            throw new ProtocolException("room frame ends inside its " + what + " (" + bytes
                    + " bytes needed, " + in.remaining() + " left)");
        }
    }

    static byte[] bytes(ByteBuffer in, int length, String what) {
        need(in, length, what);
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    /** A UTF-8 string of at most 255 bytes, after a one-byte length. */
    static String shortText(ByteBuffer in, String what) {
        need(in, 1, what);
        int length = in.get() & 0xff;
        return utf8(bytes(in, length, what), what);
    }

    static void putShortText(ByteBuffer out, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
            throw new IllegalArgumentException("a field of at most 255 bytes, got " + b.length);
        }
        out.put((byte) b.length).put(b);
    }

    static int shortTextBytes(String text) {
        return 1 + text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Strict UTF-8: text must not change on the way in. */
    static String utf8(byte[] b, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("room frame " + what + " is not valid UTF-8", e);
        }
    }

    static void expectEnd(ByteBuffer in, String what) {
        if (in.hasRemaining()) {
            throw new ProtocolException(what + " has " + in.remaining() + " trailing bytes");
        }
    }
}
