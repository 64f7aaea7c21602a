package org.p2pchat.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault-injecting proxy, driven with plain sockets. */
class FaultyProxyTest {
    private static final int TIMEOUT_MILLIS = (int) Await.DEFAULT.toMillis();

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
