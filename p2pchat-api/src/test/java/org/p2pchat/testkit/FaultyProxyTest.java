package org.p2pchat.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault-injecting proxy, driven with plain sockets. */
class FaultyProxyTest {
    private static final int TIMEOUT_MILLIS = (int) Await.DEFAULT.toMillis();
    /** Far beyond what loopback socket buffers hold: a paused proxy must block the client first. */
    private static final long MAX_FILL_BYTES = 256L << 20;
    private static final int FILL_CHUNK_BYTES = 64 * 1024;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ServerSocket target;
    private FaultyProxy proxy;

    @BeforeEach
    void start() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        target.setSoTimeout(TIMEOUT_MILLIS);
        toClose.add(target);
        proxy = FaultyProxy.start((InetSocketAddress) target.getLocalSocketAddress());
        toClose.add(proxy);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A client connected through the proxy and the target's end of the same connection. */
    private record Ends(Socket client, Socket server) {
    }

    private Ends connect() throws IOException {
        Socket client = new Socket();
        toClose.add(client);
        client.connect(proxy.address().toSocketAddress(), TIMEOUT_MILLIS);
        client.setSoTimeout(TIMEOUT_MILLIS);
        Socket server = target.accept();
        toClose.add(server);
        server.setSoTimeout(TIMEOUT_MILLIS);
        return new Ends(client, server);
    }

    /**
     * Like {@link Ends}, with the client on a non-blocking channel, so a full send buffer shows
     * as a write of 0 bytes instead of a write that never returns.
     */
    private record ChannelEnds(SocketChannel client, Socket server) {
    }

    private ChannelEnds connectChannel() throws IOException {
        SocketChannel client = SocketChannel.open();
        toClose.add(client);
        client.socket().connect(proxy.address().toSocketAddress(), TIMEOUT_MILLIS);
        client.configureBlocking(false);
        Socket server = target.accept();
        toClose.add(server);
        server.setSoTimeout(TIMEOUT_MILLIS);
        return new ChannelEnds(client, server);
    }

    /** The byte at a given offset of the stream {@link #fillUntilBlocked} writes. */
    private static byte patternAt(long offset) {
        return (byte) (offset % 251); // a prime period, so a lost or repeated chunk shows
    }

    /**
     * Writes a known byte pattern until the channel accepts nothing more.
     *
     * @return how many bytes it accepted
     */
    private static int fillUntilBlocked(SocketChannel client) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(FILL_CHUNK_BYTES);
        long total = 0;
        while (total < MAX_FILL_BYTES) {
            chunk.clear();
            for (int i = 0; i < FILL_CHUNK_BYTES; i++) {
                chunk.put(patternAt(total + i));
            }
            chunk.flip();
            int n = client.write(chunk);
            if (n == 0) {
                return Math.toIntExact(total);
            }
            total += n;
        }
        throw new AssertionError("the client could still write after " + total + " bytes");
    }

    private static void assertPattern(byte[] received) {
        for (int i = 0; i < received.length; i++) {
            if (received[i] != patternAt(i)) {
                throw new AssertionError("byte " + i + " of " + received.length + " is "
                        + received[i] + ", expected " + patternAt(i));
            }
        }
    }

    /** Writes all of a small buffer, which a non-blocking channel with room does at once. */
    private static void writeAll(SocketChannel client, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        Await.until("the client to write " + data.length + " bytes", () -> {
            try {
                client.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return !b.hasRemaining();
        });
    }

    private static byte[] readExactly(Socket s, int n) throws IOException {
        return s.getInputStream().readNBytes(n);
    }

    /**
     * Reads until the stream ends or is reset, failing if it does neither within the deadline.
     *
     * @return the bytes read before the end
     */
    private static byte[] drainUntilEnd(Socket s) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                seen.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection neither ended nor was reset within "
                    + Await.DEFAULT, e);
        } catch (IOException e) {
            // "Connection reset": the cut reached this end
        }
        return seen.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bytesPassBothWaysAndAnOrderlyEndIsPassedOn() throws IOException {
        Ends ends = connect();
        ends.client().getOutputStream().write(bytes("ping"));
        assertArrayEquals(bytes("ping"), readExactly(ends.server(), 4));
        ends.server().getOutputStream().write(bytes("pong"));
        assertArrayEquals(bytes("pong"), readExactly(ends.client(), 4));
        assertEquals(1, proxy.connectionsAccepted());

        ends.client().shutdownOutput();
        assertEquals(-1, ends.server().getInputStream().read(), "the FIN is passed on");
        ends.server().getOutputStream().write(bytes("after half close"));
        assertArrayEquals(bytes("after half close"), readExactly(ends.client(), 16));
        ends.server().shutdownOutput();
        assertEquals(-1, ends.client().getInputStream().read());
        Await.until("the pair to be released", () -> proxy.openConnections() == 0);
    }

    @Test
    void cutAllEndsBothSidesOfEveryConnectionAndNewOnesStillPass() throws IOException {
        Ends first = connect();
        Ends second = connect();
        first.client().getOutputStream().write(bytes("x"));
        assertArrayEquals(bytes("x"), readExactly(first.server(), 1));
        Await.until("both pairs to be open", () -> proxy.openConnections() == 2);

        proxy.cutAll();

        for (Ends e : List.of(first, second)) {
            assertEquals(0, drainUntilEnd(e.client()).length);
            assertEquals(0, drainUntilEnd(e.server()).length);
        }
        assertEquals(0, proxy.openConnections());
        Ends third = connect();
        third.client().getOutputStream().write(bytes("still works"));
        assertArrayEquals(bytes("still works"), readExactly(third.server(), 11));
        assertEquals(3, proxy.connectionsAccepted());
    }

    @Test
    void cutAfterBytesForwardsExactlyThatManyThenCutsBothSides() throws IOException {
        Ends ends = connect();
        ends.client().getOutputStream().write(bytes("abc"));
        assertArrayEquals(bytes("abc"), readExactly(ends.server(), 3));

        proxy.cutAfterBytes(5);
        ends.client().getOutputStream().write(bytes("helloworld"));

        assertArrayEquals(bytes("hello"), drainUntilEnd(ends.server()));
        assertEquals(0, drainUntilEnd(ends.client()).length);
        Await.until("the pair to be released", () -> proxy.openConnections() == 0);

        Ends next = connect();
        next.client().getOutputStream().write(bytes("the cut was one-shot"));
        assertArrayEquals(bytes("the cut was one-shot"), readExactly(next.server(), 20));
    }

    @Test
    void cutAfterZeroBytesCutsBeforeForwardingAny() throws IOException {
        Ends ends = connect();
        proxy.cutAfterBytes(0);
        ends.client().getOutputStream().write(bytes("lost"));
        assertEquals(0, drainUntilEnd(ends.server()).length);
        assertEquals(0, drainUntilEnd(ends.client()).length);
    }

    @Test
    void pauseFillsTheClientsSendBufferWithoutForwardingAndResumeDeliversEverythingIntact()
            throws IOException {
        ChannelEnds ends = connectChannel();
        writeAll(ends.client(), bytes("before"));
        assertArrayEquals(bytes("before"), readExactly(ends.server(), 6));

        proxy.pause();
        int written = fillUntilBlocked(ends.client());

        assertEquals(0, ends.server().getInputStream().available(),
                "nothing of the " + written + " bytes reached the server while paused");
        proxy.resume();
        assertPattern(readExactly(ends.server(), written));
        writeAll(ends.client(), bytes("after"));
        assertArrayEquals(bytes("after"), readExactly(ends.server(), 5));
    }

    @Test
    void pauseAppliesToConnectionsOpenedLaterAndServerToClientBytesStillFlow() throws IOException {
        proxy.pause();
        ChannelEnds ends = connectChannel();

        ends.server().getOutputStream().write(bytes("pong"));
        ByteBuffer back = ByteBuffer.allocate(4);
        Await.until("the server's bytes to reach the paused client", () -> {
            try {
                ends.client().read(back);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return !back.hasRemaining();
        });
        assertArrayEquals(bytes("pong"), back.array());
        int written = fillUntilBlocked(ends.client());
        assertEquals(0, ends.server().getInputStream().available(),
                "nothing of the " + written + " bytes reached the server while paused");

        proxy.resume();
        assertPattern(readExactly(ends.server(), written));
    }

    @Test
    void closeWhilePausedReturnsPromptlyAndEndsTheConnection() throws IOException {
        ChannelEnds ends = connectChannel();
        proxy.pause();
        fillUntilBlocked(ends.client());
        int port = proxy.port();

        // Well under the proxy's own 5 s join limit: a pump left waiting would blow it.
        assertTimeoutPreemptively(Duration.ofSeconds(2), proxy::close);

        assertEquals(0, drainUntilEnd(ends.server()).length);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith("faulty-proxy-" + port)),
                "every proxy thread has ended");
    }

    @Test
    void closeEndsOpenConnectionsStopsItsThreadsAndReleasesThePort() throws IOException {
        Ends ends = connect();
        int port = proxy.port();

        proxy.close();

        assertEquals(0, drainUntilEnd(ends.client()).length);
        assertEquals(0, drainUntilEnd(ends.server()).length);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith("faulty-proxy-" + port)),
                "every proxy thread has ended");
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, again.getLocalPort());
        }
        proxy.close(); // a second close does nothing
    }
}
