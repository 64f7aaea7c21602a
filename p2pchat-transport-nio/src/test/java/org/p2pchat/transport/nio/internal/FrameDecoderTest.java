package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder against a scripted channel that hands out the stream in chosen pieces. */
class FrameDecoderTest {

    /** Serves a byte stream in pieces of 1 to {@code maxPiece} bytes per read, then EOF. */
    private static final class ScriptedChannel implements ReadableByteChannel {
        private final byte[] stream;
        private final Random random;
        private final int maxPiece;
        private int pos;

        /** A seed of 0 serves pieces of exactly {@code maxPiece} bytes. */
        ScriptedChannel(byte[] stream, long seed, int maxPiece) {
            this.stream = stream;
            this.random = seed == 0 ? null : new Random(seed);
            this.maxPiece = maxPiece;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == stream.length) {
                return -1;
            }
            int piece = random == null ? maxPiece : 1 + random.nextInt(maxPiece);
            int n = Math.min(Math.min(dst.remaining(), stream.length - pos), piece);
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

    private static byte[] framed(List<byte[]> payloads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            out.write(NioFixture.frame(p));
        }
        return out.toByteArray();
    }

    private static List<byte[]> decodeAll(FrameDecoder decoder, ReadableByteChannel channel)
            throws IOException {
        List<byte[]> frames = new ArrayList<>();
        FrameDecoder.Sink sink = frame -> {
            assertTrue(frame.isReadOnly(), "handlers get a read-only view");
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            frames.add(copy);
            return true;
        };
        for (int i = 0; i < 10_000_000; i++) {
            int status = decoder.readFrom(channel, sink);
            if (status == FrameDecoder.EOF) {
                return frames;
            }
            assertTrue(status >= 0, "status " + status);
        }
        throw new AssertionError("the stream never ended");
    }

    @Test
    void framesOfEverySizeSurviveEverySplit() throws IOException {
        Random random = new Random(11);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int size = i % 97 == 0 ? random.nextInt(200_000) : random.nextInt(600);
            byte[] p = new byte[size];
            random.nextBytes(p);
            payloads.add(p);
        }
        byte[] stream = framed(payloads);
        for (int maxPiece : new int[] {1, 3, 7, 4096, 70_000, 1 << 20}) {
            FrameDecoder decoder = new FrameDecoder(1 << 20, new ReadBufferPool());
            List<byte[]> frames = decodeAll(decoder, new ScriptedChannel(stream, maxPiece, maxPiece));
            assertEquals(payloads.size(), frames.size(), "pieces of up to " + maxPiece);
            for (int i = 0; i < payloads.size(); i++) {
                assertArrayEquals(payloads.get(i), frames.get(i), "frame " + i);
            }
        }
    }

    @Test
    void anOversizedLengthIsRefusedFromThePrefixAlone() throws IOException {
        FrameDecoder decoder = new FrameDecoder(100, new ReadBufferPool());
        byte[] prefix = NioFixture.prefix(Integer.MAX_VALUE);
        int status = decoder.readFrom(new ScriptedChannel(prefix, 0, 4), frame -> true);
        assertEquals(FrameDecoder.FRAME_TOO_LARGE, status);
        assertEquals(Integer.MAX_VALUE, decoder.announcedLength());
    }

    @Test
    void aSinkThatStopsGetsNoFurtherFrames() throws IOException {
        byte[] stream = framed(List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}));
        FrameDecoder decoder = new FrameDecoder(100, new ReadBufferPool());
        List<Byte> seen = new ArrayList<>();
        int status = decoder.readFrom(new ScriptedChannel(stream, 0, stream.length), frame -> {
            seen.add(frame.get());
            return false;
        });
        assertEquals(FrameDecoder.STOPPED, status);
        assertEquals(List.of((byte) 1), seen);
    }

    @Test
    void aLimitChangedByTheSinkAppliesToTheNextFrameInTheSameRead() throws IOException {
        // Three frames in one read: the sink raises the limit after the first, lowers it after
        // the second; the third, within the maximum, is refused by the lowered limit.
        byte[] stream = framed(List.of(new byte[10], new byte[500], new byte[200]));
        FrameDecoder decoder = new FrameDecoder(1000, new ReadBufferPool());
        decoder.limit(100);
        List<Integer> seen = new ArrayList<>();
        int status = decoder.readFrom(new ScriptedChannel(stream, 0, stream.length), frame -> {
            seen.add(frame.remaining());
            decoder.limit(seen.size() == 1 ? Integer.MAX_VALUE : 199);
            return true;
        });
        assertEquals(List.of(10, 500), seen);
        assertEquals(FrameDecoder.FRAME_TOO_LARGE, status);
        assertEquals(200, decoder.announcedLength());
        assertEquals(199, decoder.announcedLimit());
        decoder.limit(5000);
        assertEquals(1000, decoder.limit(), "capped at the maximum");
    }
}
