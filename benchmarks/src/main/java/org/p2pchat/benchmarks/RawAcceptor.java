package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@link HandshakeBenchmark#connectAndFirstMessage}: a blocking server socket on
 * 127.0.0.1 whose thread accepts a connection, reads one frame (4-byte big-endian length, then
 * payload), counts it, closes the connection and accepts the next. No library, no handshake: what
 * a new TCP connection and its first message cost on this machine.
 */
final class RawAcceptor implements AutoCloseable {
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final ServerSocketChannel server;
    private final Arrivals arrivals;
    private final Thread thread;

    private RawAcceptor(ServerSocketChannel server, Arrivals arrivals) {
        this.server = server;
        this.arrivals = arrivals;
        this.thread = new Thread(this::run, "raw-acceptor");
        thread.setDaemon(true);
    }

    /**
     * Binds a free port on 127.0.0.1 and starts accepting.
     *
     * @param arrivals counts the frames received
     * @return the running acceptor; close it
     */
    static RawAcceptor start(Arrivals arrivals) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            RawAcceptor acceptor = new RawAcceptor(server, arrivals);
            acceptor.thread.start();
            return acceptor;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /**
     * Returns where it listens.
     *
     * @return the bound address
     */
    InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() {
        ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);
        ByteBuffer body = ByteBuffer.allocate(64 * 1024);
        while (true) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return; // closed by close() (AsynchronousCloseException is a subclass)
            } catch (IOException e) {
                System.err.println("raw acceptor stopped: " + e);
                return;
            }
            try (c) {
                header.clear();
                if (!readFully(c, header)) {
                    continue;
                }
                int length = header.getInt(0);
                if (length < 0 || length > body.capacity()) {
                    System.err.println("raw acceptor: frame of " + length + " bytes; dropped");
                    continue;
                }
                body.clear().limit(length);
                if (readFully(c, body)) {
                    arrivals.add(1);
                }
            } catch (IOException e) {
                System.err.println("raw acceptor: a connection failed: " + e);
            }
        }
    }

    private static boolean readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("closing the raw acceptor failed: " + e);
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            System.err.println("raw acceptor thread did not stop within " + JOIN_MILLIS + " ms");
        }
    }
}
