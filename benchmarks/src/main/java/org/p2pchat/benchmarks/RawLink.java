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
import java.util.concurrent.TimeUnit;

/**
 * The baseline: two plain blocking SocketChannels over 127.0.0.1 with TCP_NODELAY and the same
 * framing p2pchat uses (4-byte big-endian length, then payload). A packs frames into a large
 * buffer and writes it; B, a {@link RawReceiver} thread, parses and counts (or echoes) them. A's
 * methods run on the benchmark thread.
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
    private final ByteBuffer batch = ByteBuffer.allocateDirect(SEND_BUFFER_BYTES);
    private final ByteBuffer ping;
    private final ByteBuffer pong;
    private long sent;

    private RawLink(SocketChannel a, SocketChannel b, String text, boolean echo) {
        this.a = a;
        this.b = b;
        this.echo = echo;
        this.payload = text.getBytes(StandardCharsets.US_ASCII);
        int frameBytes = Integer.BYTES + payload.length;
        this.ping = ByteBuffer.allocateDirect(frameBytes).putInt(payload.length).put(payload).flip();
        this.pong = ByteBuffer.allocateDirect(frameBytes);
        this.receiver = new Thread(new RawReceiver(b, atB, echo, payload.length),
                echo ? "raw-echo" : "raw-receiver");
        receiver.setDaemon(true);
    }

    /**
     * Connects A to B over 127.0.0.1 and starts B's thread.
     *
     * @param text the message text, ASCII
     * @param echo true for round trips, false for one-way sends
     * @return the open, warmed link
     */
    static RawLink open(String text, boolean echo) {
        SocketChannel a = null;
        SocketChannel b = null;
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            a = SocketChannel.open(server.getLocalAddress());
            b = server.accept();
            for (SocketChannel c : new SocketChannel[] {a, b}) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            RawLink link = new RawLink(a, b, text, echo);
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
            int frameBytes = Integer.BYTES + payload.length;
            for (int i = 0; i < messages; i++) {
                if (out.remaining() < frameBytes) {
                    flush(out);
                }
                out.putInt(payload.length).put(payload);
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
