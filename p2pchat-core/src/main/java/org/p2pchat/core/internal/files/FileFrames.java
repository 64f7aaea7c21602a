package org.p2pchat.core.internal.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.FileTransferException.Reason;
import org.p2pchat.api.ProtocolException;

/**
 * Encodes and decodes what files put on the wire (PROTOCOL.md, "Files"): the control messages
 * carried as DATA messages of kind 4 (OFFER, ACCEPT, REFUSE, DONE, FAIL), with fixed-size
 * big-endian numbers, and the sealed frames of the file lane, CHUNK and CREDIT, with varints as
 * the other sealed frames have. Stateless and thread-safe; every decoder refuses with
 * {@link ProtocolException} only.
 */
final class FileFrames {
    /** Sealed frame type: file bytes at an offset. */
    static final byte CHUNK = 8;
    /** Sealed frame type: the receiver grants credit and says where it resumes. */
    static final byte CREDIT = 9;

    static final byte OFFER = 1;
    static final byte ACCEPT = 2;
    static final byte REFUSE = 3;
    static final byte DONE = 4;
    static final byte FAIL = 5;

    /** SHA-256's length. */
    static final int DIGEST_BYTES = 32;
    /** The most a short text (a name, a reason's words) takes: its length is one byte. */
    static final int MAX_SHORT_TEXT = 255;
    /** The CHUNK header: type, id, offset as a varint of at most 9 bytes. */
    static final int CHUNK_HEADER = 1 + TransferId.BYTES + 9;
    /** File sizes and offsets stay below this, so that no sum of two can overflow. */
    static final long MAX_SIZE = 1L << 62;

    private FileFrames() {
    }

    /** An offer: what the sender announces of a file. */
    record Offer(TransferId id, long size, byte[] sha256, String name) {
    }

    /** Any control message, decoded. {@code offset} for ACCEPT; {@code reason}, {@code text} for REFUSE and FAIL. */
    record Control(byte type, TransferId id, Offer offer, long offset, Reason reason,
            String text) {
    }

    /** A CREDIT: resume at {@code next}, send bytes below {@code limit}. */
    record Credit(TransferId id, long next, long limit) {
    }

    static byte[] offer(TransferId id, long size, byte[] sha256, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + TransferId.BYTES + 8 + DIGEST_BYTES + 1 + n.length);
        b.put(OFFER);
        id.writeTo(b);
        b.putLong(size).put(sha256);
        putShortText(b, n);
        return b.array();
    }

    static byte[] accept(TransferId id, long offset) {
        ByteBuffer b = ByteBuffer.allocate(1 + TransferId.BYTES + 8);
        b.put(ACCEPT);
        id.writeTo(b);
        return b.putLong(offset).array();
    }

    static byte[] refuse(TransferId id, Reason reason, String text) {
        return withReason(REFUSE, id, reason, text);
    }

    static byte[] fail(TransferId id, Reason reason, String text) {
        return withReason(FAIL, id, reason, text);
    }

    static byte[] done(TransferId id) {
        ByteBuffer b = ByteBuffer.allocate(1 + TransferId.BYTES);
        b.put(DONE);
        id.writeTo(b);
        return b.array();
    }

    private static byte[] withReason(byte type, TransferId id, Reason reason, String text) {
        byte[] t = cut(text);
        ByteBuffer b = ByteBuffer.allocate(1 + TransferId.BYTES + 1 + 1 + t.length);
        b.put(type);
        id.writeTo(b);
        b.put((byte) reason.code());
        putShortText(b, t);
        return b.array();
    }

    /** UTF-8 of a text cut to a short text's 255 bytes, before a character, never inside one. */
    static byte[] cut(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        if (t.length <= MAX_SHORT_TEXT) {
            return t;
        }
        int end = MAX_SHORT_TEXT;
        while (end > 0 && (t[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(t, end);
    }

    private static void putShortText(ByteBuffer b, byte[] utf8) {
        b.put((byte) utf8.length).put(utf8);
    }

    /**
     * Decodes a control message (the body of a kind 4 message).
     *
     * @throws ProtocolException if it is malformed, of an unknown type, or has trailing bytes
     */
    static Control readControl(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte type = get(in);
        TransferId id = id(in);
        Control c = switch (type) {
            case OFFER -> {
                long size = in.remaining() >= 8 ? in.getLong() : -1;
                if (size < 0 || size >= MAX_SIZE) {
                    throw new ProtocolException("OFFER with a size of " + Long.toUnsignedString(size)
                            + " bytes, or none");
                }
                byte[] sha = bytes(in, DIGEST_BYTES, "OFFER digest");
                String name = shortText(in, "OFFER name");
                yield new Control(type, id, new Offer(id, size, sha, name), 0, null, null);
            }
            case ACCEPT -> {
                long offset = in.remaining() >= 8 ? in.getLong() : -1;
                if (offset < 0 || offset >= MAX_SIZE) {
                    throw new ProtocolException("ACCEPT with a bad offset");
                }
                yield new Control(type, id, null, offset, null, null);
            }
            case REFUSE, FAIL -> {
                Reason reason = Reason.ofCode(get(in) & 0xFF);
                yield new Control(type, id, null, 0, reason, shortText(in, "reason text"));
            }
            case DONE -> new Control(type, id, null, 0, null, null);
            default -> throw new ProtocolException("file message of unknown type " + type);
        };
        if (in.hasRemaining()) {
            throw new ProtocolException("file message of type " + type + " has "
                    + in.remaining() + " trailing bytes");
        }
        return c;
    }

    /**
     * Writes a CHUNK's header; {@code data} bytes follow to the end of the frame.
     */
    static void putChunkHeader(ByteBuffer out, TransferId id, long offset) {
        out.put(CHUNK);
        id.writeTo(out);
        putVarint(out, offset);
    }

    /** Reads a CHUNK's id and offset, after its type byte; the data is what remains (at least a byte). */
    static TransferId readChunkId(ByteBuffer in) {
        return id(in);
    }

    static long readChunkOffset(ByteBuffer in) {
        long offset = getVarint(in, "CHUNK offset");
        if (offset >= MAX_SIZE) {
            throw new ProtocolException("CHUNK at offset " + offset + ", beyond 2^62");
        }
        if (!in.hasRemaining()) {
            throw new ProtocolException("CHUNK without data");
        }
        return offset;
    }

    static ByteBuffer credit(TransferId id, long next, long limit) {
        ByteBuffer b = ByteBuffer.allocate(1 + TransferId.BYTES + 9 + 9);
        b.put(CREDIT);
        id.writeTo(b);
        putVarint(b, next);
        putVarint(b, limit);
        return b.flip();
    }

    /** Reads a CREDIT after its type byte. */
    static Credit readCredit(ByteBuffer in) {
        TransferId id = id(in);
        long next = getVarint(in, "CREDIT next");
        long limit = getVarint(in, "CREDIT limit");
        if (in.hasRemaining()) {
            throw new ProtocolException("CREDIT has " + in.remaining() + " trailing bytes");
        }
        if (limit < next || limit >= MAX_SIZE) {
            throw new ProtocolException("CREDIT with next " + next + " and limit " + limit);
        }
        return new Credit(id, next, limit);
    }

    private static TransferId id(ByteBuffer in) {
        return TransferId.of(bytes(in, TransferId.BYTES, "transfer id"));
    }

    private static byte get(ByteBuffer in) {
        if (!in.hasRemaining()) {
            throw new ProtocolException("file message ends early");
        }
        return in.get();
    }

    private static byte[] bytes(ByteBuffer in, int n, String what) {
        if (in.remaining() < n) {
            throw new ProtocolException("file message ends inside its " + what);
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static String shortText(ByteBuffer in, String what) {
        int length = get(in) & 0xFF;
        byte[] b = bytes(in, length, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + " is not valid UTF-8");
        }
    }

    static void putVarint(ByteBuffer out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    static long getVarint(ByteBuffer in, String what) {
        long value = 0;
        for (int i = 0; i < 9; i++) {
            if (!in.hasRemaining()) {
                throw new ProtocolException("frame ends inside the " + what);
            }
            byte b = in.get();
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return value;
            }
        }
        throw new ProtocolException(what + " is longer than 9 bytes");
    }
}
