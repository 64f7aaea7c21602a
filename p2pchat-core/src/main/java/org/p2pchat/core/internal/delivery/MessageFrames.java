package org.p2pchat.core.internal.delivery;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolException;

/**
 * Encodes and decodes the sealed frames of a conversation (PROTOCOL.md, "Messages"): DATA carries
 * numbered messages, ACK acknowledges them and grants a receive window, PING asks for an ACK.
 * Numbers are unsigned LEB128 varints of at most 9 bytes (63 bits). Stateless and thread-safe.
 */
public final class MessageFrames {
    /** Numbered messages: first number, distance back to the floor, then each message. */
    public static final byte DATA = 5;
    /** A cumulative acknowledgement and the receive window beyond it. */
    public static final byte ACK = 6;
    /** Asks for an ACK; proves the connection is alive and probes the window. */
    public static final byte PING = 7;

    /**
     * What a message costs against the outbox limit and the receive window beyond its UTF-8
     * bytes, so that a flood of empty messages is bounded too (HTTP/2 counts 32 per header).
     */
    static final int MESSAGE_OVERHEAD = 32;
    /** The most a DATA header (type, first number, floor distance) takes. */
    public static final int MAX_DATA_HEADER = 1 + 9 + 9;
    /** The most a message's length prefix takes. */
    public static final int MAX_LENGTH_PREFIX = 5;
    /** The bytes a message's kind takes, after its length prefix. */
    public static final int KIND_BYTES = 1;
    /** A message's kind: a direct text message, UTF-8. */
    public static final byte KIND_TEXT = 0;
    /** A message's kind: a signed room message (PROTOCOL.md, "Room messages"). */
    public static final byte KIND_ROOM_POST = 1;
    /** A message's kind: a room membership message (PROTOCOL.md, "Room membership"). */
    public static final byte KIND_ROOM_CONTROL = 2;
    /**
     * A message's kind: a direct text message sent again by a later process of its sender, from
     * its durable outbox, with the epoch and number its first process gave it (uint64 big-endian,
     * then a varint), then its UTF-8 text: the receiver delivers it once whatever number it
     * travels under now (PROTOCOL.md, "Restarts").
     */
    public static final byte KIND_TEXT_AGAIN = 3;
    /** A message's kind: a file transfer's control message (PROTOCOL.md, "Files"). */
    public static final byte KIND_FILE = 4;
    /** The highest kind this version knows; a higher one is a protocol error. */
    static final byte MAX_KIND = KIND_FILE;
    private static final int MAX_VARINT_BYTES = 9;
    /**
     * The highest message number accepted: a process never comes near it (2^62 messages), so a
     * number beyond it is an attack on the counter, refused before anything can wrap.
     */
    static final long MAX_SEQ = 1L << 62;

    private MessageFrames() {
    }

    /**
     * Whether this version knows a message kind; an unknown one is a protocol error.
     *
     * @param kind the kind byte
     * @return true for the text, room and file kinds
     */
    static boolean knownKind(byte kind) {
        return kind >= 0 && kind <= MAX_KIND;
    }

    /** The header of a DATA frame. */
    public record DataHeader(long firstSeq, long floor) {
    }

    /**
     * Writes a DATA header; the messages follow with {@link #putMessage}.
     *
     * @param out where to write
     * @param firstSeq the number of the first message in the frame, at least 1
     * @param floor the lowest number the sender may still send; every lower one is acknowledged
     *     or abandoned
     */
    public static void putDataHeader(ByteBuffer out, long firstSeq, long floor) {
        out.put(DATA);
        putVarint(out, firstSeq);
        putVarint(out, firstSeq - floor);
    }

    /**
     * Writes one message of a DATA frame.
     *
     * @param out where to write
     * @param kind what the message is ({@link #KIND_TEXT}...)
     * @param body the message's bytes
     */
    public static void putMessage(ByteBuffer out, byte kind, byte[] body) {
        putVarint(out, KIND_BYTES + body.length);
        out.put(kind).put(body);
    }

    /**
     * Returns how many bytes {@link #putMessage} writes for a body of this length.
     *
     * @param bodyLength the body's length in bytes
     * @return the encoded length
     */
    static int messageBytes(int bodyLength) {
        return varintBytes(KIND_BYTES + bodyLength) + KIND_BYTES + bodyLength;
    }

    /**
     * Reads a DATA header, after the type byte.
     *
     * @param in the frame, positioned after the type; left at the first message
     * @return the header
     * @throws ProtocolException if it is malformed or holds no message
     */
    public static DataHeader readDataHeader(ByteBuffer in) {
        long first = getVarint(in, "DATA first number");
        long back = getVarint(in, "DATA floor");
        if (first < 1 || back > first - 1) {
            throw new ProtocolException("DATA with first number " + first + " and floor "
                    + (first - back));
        }
        if (first > MAX_SEQ) {
            throw new ProtocolException("DATA with first number " + first + ", beyond 2^62");
        }
        if (!in.hasRemaining()) {
            throw new ProtocolException("DATA without a message");
        }
        return new DataHeader(first, first - back);
    }

    /**
     * Reads the length of the next message of a DATA frame and checks the bytes are there.
     *
     * @param in the frame, positioned at a message
     * @return the message's length in bytes; its bytes follow
     * @throws ProtocolException if it is malformed
     */
    public static int readMessageLength(ByteBuffer in) {
        long length = getVarint(in, "message length");
        if (length > in.remaining()) {
            throw new ProtocolException("message of " + length + " bytes, but only "
                    + in.remaining() + " remain in the frame");
        }
        return (int) length;
    }

    /**
     * Encodes an ACK.
     *
     * @param out where to write
     * @param acked every message numbered up to this one has been received
     * @param window how many more message bytes (counted with {@link #MESSAGE_OVERHEAD}) the
     *     sender may send beyond {@code acked}
     */
    public static void putAck(ByteBuffer out, long acked, long window) {
        out.put(ACK);
        putVarint(out, acked);
        putVarint(out, window);
    }

    /**
     * Reads an ACK, after the type byte.
     *
     * @param in the frame
     * @return {@code {acked, window}}
     * @throws ProtocolException if it is malformed
     */
    public static long[] readAck(ByteBuffer in) {
        long acked = getVarint(in, "ACK number");
        long window = getVarint(in, "ACK window");
        expectEnd(in, "ACK");
        return new long[] {acked, window};
    }

    /**
     * Checks that a frame has nothing left.
     *
     * @param in the frame
     * @param what its type, for the message
     * @throws ProtocolException if bytes remain
     */
    public static void expectEnd(ByteBuffer in, String what) {
        if (in.hasRemaining()) {
            throw new ProtocolException(what + " has " + in.remaining() + " trailing bytes");
        }
    }

    /**
     * Makes the body of a {@link #KIND_TEXT_AGAIN} message.
     *
     * @param epoch the epoch of the process that first sent it
     * @param seq the number it had there
     * @param text its UTF-8 text
     * @return the body
     */
    public static byte[] textAgain(long epoch, long seq, byte[] text) {
        ByteBuffer b = ByteBuffer.allocate(8 + varintBytes(seq) + text.length);
        b.putLong(epoch);
        putVarint(b, seq);
        b.put(text);
        return b.array();
    }

    /** The first numbering of a {@link #KIND_TEXT_AGAIN} message, read from its body. */
    record FirstNumber(long epoch, long seq) {
    }

    /**
     * Reads the first numbering at the front of a {@link #KIND_TEXT_AGAIN} message's body,
     * leaving the text.
     *
     * @param in the body, within its message's length
     * @return the numbering
     * @throws ProtocolException if it is cut short or its number is out of range
     */
    static FirstNumber readTextAgain(ByteBuffer in) {
        if (in.remaining() < 8) {
            throw new ProtocolException("a message sent again without its first epoch");
        }
        long epoch = in.getLong();
        long seq = getVarint(in, "first number");
        if (seq < 1 || seq >= MAX_SEQ) {
            throw new ProtocolException("a message sent again with first number " + seq);
        }
        return new FirstNumber(epoch, seq);
    }

    static void putVarint(ByteBuffer out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    static int varintBytes(long value) {
        // Seven bits a byte, at least one: counted, not looped (asked for each message sized).
        return (63 - Long.numberOfLeadingZeros(value | 1)) / 7 + 1;
    }

    static long getVarint(ByteBuffer in, String what) {
        long value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw new ProtocolException("frame ends inside the " + what);
            }
            byte b = in.get();
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return value;
            }
        }
        throw new ProtocolException(what + " is longer than " + MAX_VARINT_BYTES + " bytes");
    }
}
