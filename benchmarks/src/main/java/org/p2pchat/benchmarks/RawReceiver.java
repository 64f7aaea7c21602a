package org.p2pchat.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * B's side of the raw baseline, run on a thread of its own: reads a blocking SocketChannel,
 * splits the bytes into frames (4-byte big-endian length, then payload) and either counts them or
 * writes them straight back. No library, no per-message allocation: the machine's limit. Stops
 * quietly when the channel is closed or the other side goes away.
 *
 * <p>Sealed ({@code rawSealed}), B opens each frame with A's cipher before counting it, and an
 * echo is the opened payload sealed again under B's own nonce.
 */
final class RawReceiver implements Runnable {
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final int HEADER_BYTES = Integer.BYTES;

    private final SocketChannel channel;
    private final Arrivals arrivals;
    private final boolean echo;
    private final int maxFrameBytes;
    private final FrameCipher opener;
    private final FrameCipher sealer;

    /**
     * Creates the receiver.
     *
     * @param channel B's end, blocking
     * @param arrivals counts frames, when not echoing
     * @param echo true to write every complete frame back instead of counting it
     * @param maxFrameBytes the largest payload expected; larger is a bug and stops the receiver
     * @param opener opens A's frames, or null for plaintext
     * @param sealer seals B's echoes, or null for plaintext
     */
    RawReceiver(SocketChannel channel, Arrivals arrivals, boolean echo, int maxFrameBytes,
            FrameCipher opener, FrameCipher sealer) {
        if (maxFrameBytes + HEADER_BYTES > BUFFER_BYTES) {
            throw new IllegalArgumentException("expected frames of at most "
                    + (BUFFER_BYTES - HEADER_BYTES) + " bytes, got " + maxFrameBytes);
        }
        this.channel = channel;
        this.arrivals = arrivals;
        this.echo = echo;
        this.maxFrameBytes = maxFrameBytes;
        this.opener = opener;
        this.sealer = sealer;
    }

    @Override
    public void run() {
        if (opener != null) {
            runSealed();
            return;
        }
        ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try {
            while (channel.read(in) >= 0) {
                in.flip();
                int start = in.position();
                long frames = 0;
                while (in.remaining() >= HEADER_BYTES) {
                    int length = in.getInt(in.position());
                    if (length < 0 || length > maxFrameBytes) {
                        throw new IOException("frame of " + length + " bytes; expected at most "
                                + maxFrameBytes);
                    }
                    if (in.remaining() < HEADER_BYTES + length) {
                        break;
                    }
                    in.position(in.position() + HEADER_BYTES + length);
                    frames++;
                }
                if (echo && frames > 0) {
                    writeBack(in, start);
                } else if (frames > 0) {
                    arrivals.add(frames);
                }
                in.compact();
            }
        } catch (ClosedChannelException e) {
            // closed by the link's tear-down (AsynchronousCloseException is a subclass)
        } catch (IOException e) {
            if (channel.isOpen()) {
                System.err.println("raw receiver stopped: " + e);
            }
        }
    }

    /** The sealed variant of {@link #run}: heap buffers, each frame opened in place. */
    private void runSealed() {
        ByteBuffer in = ByteBuffer.allocate(BUFFER_BYTES);
        ByteBuffer out = ByteBuffer.allocate(BUFFER_BYTES);
        byte[] plain = new byte[maxFrameBytes];
        byte[] array = in.array();
        try {
            while (channel.read(in) >= 0) {
                in.flip();
                long frames = 0;
                while (in.remaining() >= HEADER_BYTES) {
                    int at = in.position();
                    int length = in.getInt(at);
                    if (length < FrameCipher.TAG_BYTES || length > maxFrameBytes) {
                        throw new IOException("sealed frame of " + length + " bytes; expected "
                                + FrameCipher.TAG_BYTES + " to " + maxFrameBytes);
                    }
                    if (in.remaining() < HEADER_BYTES + length) {
                        break;
                    }
                    int n = opener.apply(array, at + HEADER_BYTES, length, plain, 0);
                    in.position(at + HEADER_BYTES + length);
                    frames++;
                    if (echo) {
                        out.putInt(n + FrameCipher.TAG_BYTES);
                        int o = out.position();
                        out.position(o + sealer.apply(plain, 0, n, out.array(), o));
                    }
                }
                if (echo && out.position() > 0) {
                    out.flip();
                    while (out.hasRemaining()) {
                        channel.write(out);
                    }
                    out.clear();
                } else if (frames > 0) {
                    arrivals.add(frames);
                }
                in.compact();
            }
        } catch (ClosedChannelException e) {
            // closed by the link's tear-down (AsynchronousCloseException is a subclass)
        } catch (IOException e) {
            if (channel.isOpen()) {
                System.err.println("raw sealed receiver stopped: " + e);
            }
        }
    }

    /** Writes the complete frames in [start, position) back, leaving the buffer as it was. */
    private void writeBack(ByteBuffer in, int start) throws IOException {
        int end = in.position();
        int limit = in.limit();
        in.position(start).limit(end);
        while (in.hasRemaining()) {
            channel.write(in);
        }
        in.limit(limit).position(end);
    }
}
