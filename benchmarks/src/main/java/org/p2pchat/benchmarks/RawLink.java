package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: two plain blocking SocketChannels over 127.0.0.1 with TCP_NODELAY and the same
 * framing p2pchat uses (4-byte big-endian length, then payload). A packs frames into a large
 * buffer and writes it; B, a {@link RawReceiver} thread, parses and counts (or echoes) them. A's
 * methods run on the benchmark thread.
 *
 * <p>Sealed ({@code rawSealed}), every frame's payload is ChaCha20-Poly1305 ciphertext and tag
 * under the next nonce of its direction ({@link FrameCipher}); B opens each frame before it counts
 * it, and seals its echo afresh. That is the machine's limit for encrypted framing, the baseline of
 * p2pchat's encrypted figures.
 */
final class RawLink implements DirectLink {
    private static final int SEND_BUFFER_BYTES = 64 * 1024;
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final SocketChannel a;
    private final SocketChannel b;
    private final Thread receiver;
    private final boolean echo;
    private final byte[] payload;
    private final Arrivals atB = new Arrivals("frames received by raw B");
    private final ByteBuffer batch;
    private final ByteBuffer ping;
    private final ByteBuffer pong;
    /** Sealed only: A's ciphers (A to B, B to A) and where A opens an echo. */
    private final FrameCipher sealer;
    private final FrameCipher opener;
    private final byte[] opened;
    private long sent;

    private RawLink(SocketChannel a, SocketChannel b, String text, boolean echo, boolean sealed) {
        this.a = a;
        this.b = b;
        this.echo = echo;
        this.payload = text.getBytes(StandardCharsets.US_ASCII);
        int sealedBytes = payload.length + (sealed ? FrameCipher.TAG_BYTES : 0);
        int frameBytes = Integer.BYTES + sealedBytes;
        RawReceiver atB;
        if (sealed) {
            SecureRandom random = new SecureRandom();
            byte[] aToB = new byte[32];
            byte[] bToA = new byte[32];
            random.nextBytes(aToB);
            random.nextBytes(bToA);
            this.sealer = FrameCipher.sealer(aToB);
            this.opener = FrameCipher.opener(bToA);
            this.opened = new byte[payload.length];
            // Heap buffers: the cipher works on the arrays in place.
            this.batch = ByteBuffer.allocate(SEND_BUFFER_BYTES);
            this.ping = ByteBuffer.allocate(frameBytes);
            this.pong = ByteBuffer.allocate(frameBytes);
            atB = new RawReceiver(b, this.atB, echo, sealedBytes, FrameCipher.opener(aToB),
                    FrameCipher.sealer(bToA));
        } else {
            this.sealer = null;
            this.opener = null;
            this.opened = null;
            this.batch = ByteBuffer.allocateDirect(SEND_BUFFER_BYTES);
            this.ping = ByteBuffer.allocateDirect(frameBytes).putInt(payload.length).put(payload).flip();
            this.pong = ByteBuffer.allocateDirect(frameBytes);
            atB = new RawReceiver(b, this.atB, echo, sealedBytes, null, null);
        }
        this.receiver = new Thread(atB, echo ? "raw-echo" : "raw-receiver");
        receiver.setDaemon(true);
    }

    /**
     * Connects A to B over 127.0.0.1 and starts B's thread.
     *
     * @param text the message text, ASCII
     * @param echo true for round trips, false for one-way sends
     * @param sealed true to seal every frame with ChaCha20-Poly1305 ({@code rawSealed})
     * @return the open, warmed link
     */
    static RawLink open(String text, boolean echo, boolean sealed) {
        SocketChannel a = null;
        SocketChannel b = null;
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            a = SocketChannel.open(server.getLocalAddress());
            b = server.accept();
            for (SocketChannel c : new SocketChannel[] {a, b}) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            RawLink link = new RawLink(a, b, text, echo, sealed);
            link.receiver.start();
            link.warmUp();
            return link;
        } catch (IOException e) {
            closeQuietly(a);
            closeQuietly(b);
            throw new UncheckedIOException("cannot connect two SocketChannels on 127.0.0.1", e);
        }
    }

    private void warmUp() {
        if (echo) {
            roundTrip();
        } else {
            sendAll(1);
        }
    }

    @Override
    public void sendAll(int messages) {
        if (echo) {
            throw new IllegalStateException("this link echoes; open one for one-way sends");
        }
        try {
            ByteBuffer out = batch;
            int frameBytes = Integer.BYTES + payload.length
                    + (sealer != null ? FrameCipher.TAG_BYTES : 0);
            for (int i = 0; i < messages; i++) {
                if (out.remaining() < frameBytes) {
                    flush(out);
                }
                if (sealer == null) {
                    out.putInt(payload.length).put(payload);
                } else {
                    out.putInt(frameBytes - Integer.BYTES);
                    int at = out.position();
                    out.position(at + sealer.apply(payload, 0, payload.length, out.array(), at));
                }
            }
            flush(out);
        } catch (IOException e) {
            throw new UncheckedIOException("raw send failed", e);
        }
        sent += messages;
        atB.awaitAtLeast(sent);
    }

    /** Writes the batch fully (a blocking write: TCP's flow control is the backpressure). */
    private void flush(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            a.write(out);
        }
        out.clear();
    }

    @Override
    public void roundTrip() {
        if (!echo) {
            throw new IllegalStateException("this link counts; open one for round trips");
        }
        try {
            if (sealer != null) {
                ping.clear();
                ping.putInt(payload.length + FrameCipher.TAG_BYTES);
                ping.position(ping.position() + sealer.apply(payload, 0, payload.length,
                        ping.array(), ping.position()));
                ping.flip();
            }
            ping.rewind();
            while (ping.hasRemaining()) {
                a.write(ping);
            }
            pong.clear();
            while (pong.hasRemaining()) {
                if (a.read(pong) < 0) {
                    throw new IllegalStateException("raw echo side closed the connection");
                }
            }
            if (opener != null) {
                opener.apply(pong.array(), Integer.BYTES, pong.position() - Integer.BYTES, opened, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("raw round trip failed", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(a);
        closeQuietly(b);
        try {
            receiver.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (receiver.isAlive()) {
            System.err.println("raw receiver thread did not stop within " + JOIN_MILLIS + " ms");
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                System.err.println("closing a raw channel failed: " + e);
            }
        }
    }
}
