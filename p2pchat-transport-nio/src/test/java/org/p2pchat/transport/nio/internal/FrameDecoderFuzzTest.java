package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The frame decoder on any byte stream, cut into any pieces (including empty reads): it must
 * deliver exactly the frames, and end with exactly the status, that a few-line model of the
 * framing gives; it may throw nothing but the {@link IOException} it documents (which this
 * channel never causes); it must always make progress; and it must give its read buffers back to
 * the pool once each. The pool is shared across runs, as on an event loop.
 */
class FrameDecoderFuzzTest {
    private static final int MAX_STREAM = 1 << 20;
    private static final ReadBufferPool POOL = new ReadBufferPool();

    /** Serves a stream in pieces of 0 to maxPiece bytes (0 = "nothing yet"), then EOF. */
    private static final class PiecewiseChannel implements ReadableByteChannel {
        private final byte[] stream;
        private final Random pieces;
        private final int maxPiece;
        private int pos;
        private long zeroReads;

        PiecewiseChannel(byte[] stream, long seed, int maxPiece) {
            this.stream = stream;
            this.pieces = new Random(seed);
            this.maxPiece = maxPiece;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == stream.length) {
                return -1;
            }
            int n = Math.min(Math.min(dst.remaining(), stream.length - pos),
                    pieces.nextInt(maxPiece + 1));
            if (n == 0) {
                zeroReads++;
            }
            dst.put(stream, pos, n);
            pos += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** What the decoder should do: the frames it delivers, the final status and length. */
    private record Outcome(List<byte[]> frames, int status, int announced) {
    }

    private static Outcome model(byte[] s, int max, int stopAfter) {
        ByteBuffer b = ByteBuffer.wrap(s);
        List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 4) {
            int length = b.getInt(b.position());
            if (length < 0 || length > max) {
                return new Outcome(frames, FrameDecoder.FRAME_TOO_LARGE, length);
            }
            if (b.remaining() - 4 < length) {
                break;
            }
            byte[] frame = new byte[length];
            b.position(b.position() + 4).get(frame);
            frames.add(frame);
            if (frames.size() == stopAfter) {
                return new Outcome(frames, FrameDecoder.STOPPED, 0);
            }
        }
        return new Outcome(frames, FrameDecoder.EOF, 0);
    }

    private static byte[] stream(FuzzedDataProvider data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        while (data.remainingBytes() > 0 && bytes.size() < MAX_STREAM) {
            switch (data.consumeInt(0, 2)) {
                case 0 -> out.write(data.consumeBytes(data.consumeInt(0, 256)));
                case 1 -> {
                    // A well-formed frame, up to several read buffers long, of patterned bytes.
                    int length = data.consumeInt(0, 3 * ReadBufferPool.SIZE);
                    byte[] payload = new byte[length];
                    for (int i = 0; i < length; i++) {
                        payload[i] = (byte) (i * 31 + length);
                    }
                    out.writeInt(length);
                    out.write(payload);
                }
                default -> out.writeInt(data.consumeInt()); // a bare prefix of any value
            }
        }
        return bytes.toByteArray();
    }

    @FuzzTest
    void decoderAgreesWithTheFramingModelOnAnyStream(FuzzedDataProvider data) throws IOException {
        int maxFrame = data.consumeInt(0, 2 * ReadBufferPool.SIZE);
        int stopAfter = data.consumeInt(0, 20); // 0: the sink never stops
        int maxPiece = data.consumeInt(1, ReadBufferPool.SIZE + 8);
        long seed = data.consumeLong();
        byte[] stream = stream(data);

        FrameDecoder decoder = new FrameDecoder(maxFrame, POOL);
        PiecewiseChannel channel = new PiecewiseChannel(stream, seed, maxPiece);
        List<byte[]> frames = new ArrayList<>();
        FrameDecoder.Sink sink = frame -> {
            assertTrue(frame.isReadOnly(), "handlers get a read-only view");
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            frames.add(copy);
            return frames.size() != stopAfter;
        };
        int status;
        long calls = 0;
        do {
            status = decoder.readFrom(channel, sink);
            // Every call reads at least once: it takes a byte, sees nothing yet, or sees EOF.
            if (++calls > channel.pos + channel.zeroReads + 1) {
                fail("no progress after " + calls + " calls, at byte " + channel.pos);
            }
        } while (status >= 0);
        decoder.release();

        Outcome expected = model(stream, maxFrame, stopAfter);
        assertEquals(expected.status(), status, "status");
        if (status == FrameDecoder.FRAME_TOO_LARGE) {
            assertEquals(expected.announced(), decoder.announcedLength(), "announced length");
        }
        assertEquals(expected.frames().size(), frames.size(), "frame count");
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(expected.frames().get(i), frames.get(i), "frame " + i);
        }

        // Each buffer went back at most once: the pool hands out distinct buffers.
        Set<ReadBufferPool.Buffer> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 17; i++) {
            assertTrue(taken.add(POOL.take()), "the pool handed out one buffer twice");
        }
        taken.forEach(POOL::give);
    }
}
