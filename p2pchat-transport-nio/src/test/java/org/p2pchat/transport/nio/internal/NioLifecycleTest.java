package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.TransportProvider;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/** Discovery, threads and file descriptors: what a transport leaves behind. */
class NioLifecycleTest {
    private final NioFixture fixture = new NioFixture();

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void theProviderIsFoundByServiceLoader() {
        // Tests run inside this module, which (rightly) does not declare "uses" itself.
        NioLifecycleTest.class.getModule().addUses(TransportProvider.class);
        List<TransportProvider> found = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof NioTransportProvider)
                .collect(Collectors.toList());
        assertEquals(1, found.size());
        assertEquals("nio", found.get(0).name());
        assertEquals(100, found.get(0).priority());
    }

    @Test
    void closingTheTransportEndsItsEventLoopThread() {
        NioTransport transport = fixture.transport(b -> b.name("lifecycle-thread"));
        Await.result(transport.listen(PeerAddress.loopback(0), c -> RecordingHandler.recording()));
        Thread loop = loopThread("p2pchat-nio-lifecycle-thread");
        assertTrue(loop.isDaemon());
        transport.close();
        assertFalse(loop.isAlive());
        transport.close();
    }

    @Test
    void openFileDescriptorsReturnToTheBaselineAfterManyConnectCloseCycles() {
        NioFixture.Server server = fixture.server(b -> { }, false);
        NioTransport client = fixture.transport();
        Await.result(client.connect(server.address, RecordingHandler.recording())).close();
        Await.next(server.accepted).awaitClose();
        long baseline = openFileDescriptors();
        for (int i = 0; i < 200; i++) {
            RecordingHandler clientSide = RecordingHandler.recording();
            Connection c = Await.result(client.connect(server.address, clientSide));
            RecordingHandler serverSide = Await.next(server.accepted);
            c.close();
            assertEquals(Reason.LOCAL_CLOSE, clientSide.awaitClose());
            assertEquals(Reason.REMOTE_CLOSE, serverSide.awaitClose());
        }
        Await.until("descriptors back near " + baseline, () -> openFileDescriptors() <= baseline + 5);
    }

    @Test
    void aHandlerMayCloseItsTransportFromTheEventLoop() {
        NioFixture.Server server = fixture.server(b -> { }, false);
        NioTransport client = fixture.transport();
        RecordingHandler recorder = RecordingHandler.recording();
        Connection c = Await.result(client.connect(server.address, new ConnectionHandler() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) {
                recorder.onFrame(connection, frame);
                client.close();
            }

            @Override
            public void onClosed(Connection connection, ConnectionClosedException reason) {
                recorder.onClosed(connection, reason);
            }
        }));
        Await.result(Await.next(server.accepted).connection).write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(Reason.TRANSPORT_CLOSED, recorder.awaitClose());
        assertFalse(c.isOpen());
        assertTimeoutPreemptively(Duration.ofSeconds(5), client::close);
    }

    @Test
    void oneTransportListensOnSeveralPorts() {
        NioTransport transport = fixture.transport();
        PeerAddress a = Await.result(transport.listen(PeerAddress.loopback(0),
                c -> RecordingHandler.echoing()));
        PeerAddress b = Await.result(transport.listen(PeerAddress.loopback(0),
                c -> RecordingHandler.echoing()));
        assertNotEquals(a, b);
        NioTransport client = fixture.transport();
        for (PeerAddress address : List.of(a, b)) {
            RecordingHandler h = RecordingHandler.recording();
            Await.result(client.connect(address, h)).write(ByteBuffer.wrap(new byte[] {3}));
            assertEquals(1, Await.next(h.frames).length);
        }
    }

    @Test
    void aHostNameIsResolvedOffTheCallingThread() {
        NioFixture.Server server = fixture.server(b -> { }, true);
        RecordingHandler h = RecordingHandler.recording();
        Connection c = Await.result(fixture.transport()
                .connect(new PeerAddress("localhost", server.address.port()), h));
        c.write(ByteBuffer.wrap(new byte[] {4}));
        assertEquals(1, Await.next(h.frames).length);
    }

    private static Thread loopThread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no thread named " + name));
    }

    private static long openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            throw new AssertionError("/proc/self/fd is not readable here");
        }
        return fds.length;
    }
}
