package org.p2pchat.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.FrameTooLargeException;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.TransportClosedException;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * The behaviour every transport must have, subclassed once per implementation (the JCTools way).
 * Tests that need a real byte stream (frames split across reads, a peer closing mid-frame,
 * malformed length prefixes) live in the byte-stream transports' own tests.
 */
public abstract class TransportContractTest {

    /** The ticker every transport of a test shares, so advancing it ages both ends. */
    protected final ManualTicker ticker = new ManualTicker();
    private final List<Transport> transports = new ArrayList<>();

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    protected abstract TransportProvider provider();

    /**
     * Creates a transport closed after the test.
     *
     * @param tweak changes to the default options (ticker already set to {@link #ticker})
     * @return the transport
     */
    protected Transport transport(Consumer<TransportOptions.Builder> tweak) {
        TransportOptions.Builder b = TransportOptions.builder().ticker(ticker)
                .name("contract" + transports.size());
        tweak.accept(b);
        Transport t = provider().create(b.build());
        transports.add(t);
        return t;
    }

    /**
     * Creates a transport with default options and the test ticker.
     *
     * @return the transport
     */
    protected Transport transport() {
        return transport(b -> { });
    }

    @AfterEach
    void closeTransports() {
        for (Transport t : transports) {
            t.close();
        }
    }

    /** A listening transport and the handlers of the connections it accepted. */
    protected static final class Server {
        /** The bound address. */
        public final PeerAddress address;
        /** Handlers of accepted connections, in accept order. */
        public final BlockingQueue<RecordingHandler> accepted;

        Server(PeerAddress address, BlockingQueue<RecordingHandler> accepted) {
            this.address = address;
            this.accepted = accepted;
        }
    }

    /**
     * Listens on 127.0.0.1 with a free port.
     *
     * @param transport the transport
     * @param echo whether accepted connections echo frames back
     * @return the server
     */
    protected static Server listen(Transport transport, boolean echo) {
        BlockingQueue<RecordingHandler> accepted = new LinkedBlockingQueue<>();
        PeerAddress address = Await.result(transport.listen(PeerAddress.loopback(0), c -> {
            RecordingHandler h = echo ? RecordingHandler.echoing() : RecordingHandler.recording();
            h.connection.complete(c);
            accepted.add(h);
            return h;
        }));
        return new Server(address, accepted);
    }

    private static ByteBuffer frame(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void listenReportsTheActualPort() {
        Server server = listen(transport(), false);
        assertEquals("127.0.0.1", server.address.host());
        assertTrue(server.address.port() > 0, "expected a real port, got " + server.address);
    }

    @Test
    void framesArriveWholeAndInOrderInBothDirections() {
        Server server = listen(transport(), true);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(server.address, client));
        Random random = new Random(42);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] payload = new byte[random.nextInt(i % 50 == 0 ? 70_000 : 300)];
            random.nextBytes(payload);
            sent.add(payload);
            c.write(ByteBuffer.wrap(payload));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), Await.next(client.frames), "echoed frame " + i);
        }
        RecordingHandler serverSide = Await.next(server.accepted);
        assertEquals(sent.size(), serverSide.frames.size());
    }

    @Test
    void manySmallFramesSentInABurstAllArrive() {
        Server server = listen(transport(), false);
        Connection c = Await.result(transport().connect(server.address, RecordingHandler.recording()));
        ByteBuffer buf = ByteBuffer.allocate(4);
        for (int i = 0; i < 20_000; i++) {
            buf.clear();
            buf.putInt(i).flip();
            c.write(buf);
        }
        RecordingHandler serverSide = Await.next(server.accepted);
        for (int i = 0; i < 20_000; i++) {
            assertEquals(i, ByteBuffer.wrap(Await.next(serverSide.frames)).getInt());
        }
    }

    @Test
    void framesOfTheMaximumSizeAndOfZeroBytesArrive() {
        int max = 256 * 1024;
        Transport a = transport(b -> b.maxFrameBytes(max));
        Server server = listen(a, false);
        Connection c = Await.result(transport(b -> b.maxFrameBytes(max))
                .connect(server.address, RecordingHandler.recording()));
        byte[] big = new byte[max];
        new Random(7).nextBytes(big);
        c.write(ByteBuffer.wrap(new byte[0]));
        c.write(ByteBuffer.wrap(big));
        RecordingHandler serverSide = Await.next(server.accepted);
        assertEquals(0, Await.next(serverSide.frames).length);
        assertArrayEquals(big, Await.next(serverSide.frames));
    }

    @Test
    void writeCopiesTheFrameSoTheCallerMayReuseTheBuffer() {
        Server server = listen(transport(), false);
        Connection c = Await.result(transport().connect(server.address, RecordingHandler.recording()));
        ByteBuffer reused = ByteBuffer.allocate(5);
        reused.put("first".getBytes(StandardCharsets.US_ASCII)).flip();
        c.write(reused);
        assertEquals(reused.limit(), reused.position(), "write consumes the buffer");
        reused.clear();
        reused.put("xxxxx".getBytes(StandardCharsets.US_ASCII)).flip();
        c.write(reused);
        RecordingHandler serverSide = Await.next(server.accepted);
        assertEquals("first", text(Await.next(serverSide.frames)));
        assertEquals("xxxxx", text(Await.next(serverSide.frames)));
    }

    @Test
    void sendCompletesOnceTheFrameIsWritten() {
        Server server = listen(transport(), false);
        Connection c = Await.result(transport().connect(server.address, RecordingHandler.recording()));
        Await.result(c.send(frame("hello")));
        assertEquals("hello", text(Await.next(Await.next(server.accepted).frames)));
    }

    @Test
    void anOutgoingFrameOverTheMaximumIsRefusedAndTheConnectionStaysUsable() {
        Server server = listen(transport(), false);
        Connection c = Await.result(transport(b -> b.maxFrameBytes(100))
                .connect(server.address, RecordingHandler.recording()));
        assertThrows(FrameTooLargeException.class, () -> c.write(ByteBuffer.allocate(101)));
        assertInstanceOf(FrameTooLargeException.class, Await.failure(c.send(ByteBuffer.allocate(101))));
        c.write(frame("still fine"));
        assertEquals("still fine", text(Await.next(Await.next(server.accepted).frames)));
        assertTrue(c.isOpen());
    }

    @Test
    void aFrameOverTheReceiversMaximumClosesOnlyThatConnection() {
        Server server = listen(transport(b -> b.maxFrameBytes(1024)), false);
        Transport client = transport(b -> b.maxFrameBytes(4096));
        RecordingHandler badClient = RecordingHandler.recording();
        Connection bad = Await.result(client.connect(server.address, badClient));
        RecordingHandler badServerSide = Await.next(server.accepted);
        RecordingHandler goodClient = RecordingHandler.recording();
        Connection good = Await.result(client.connect(server.address, goodClient));
        RecordingHandler goodServerSide = Await.next(server.accepted);

        bad.write(ByteBuffer.allocate(1025));
        assertEquals(Reason.FRAME_TOO_LARGE, badServerSide.awaitClose());
        assertTrue(badClient.awaitClose() != null);
        assertEquals(0, badServerSide.frames.size(), "nothing of the oversized frame is delivered");

        good.write(frame("carry on"));
        assertEquals("carry on", text(Await.next(goodServerSide.frames)));
        assertTrue(good.isOpen());
        assertFalse(bad.isOpen());
    }

    @Test
    void aConnectionsInboundLimitCanBeLoweredAndRaisedUpToTheMaximum() {
        Transport serverTransport = transport(b -> b.maxFrameBytes(1024));
        BlockingQueue<RecordingHandler> accepted = new LinkedBlockingQueue<>();
        PeerAddress address = Await.result(serverTransport.listen(PeerAddress.loopback(0), c -> {
            c.maxInboundFrameBytes(100);
            RecordingHandler h = RecordingHandler.recording();
            h.connection.complete(c);
            accepted.add(h);
            return h;
        }));
        Transport client = transport(b -> b.maxFrameBytes(4096));

        Connection lowered = Await.result(client.connect(address, RecordingHandler.recording()));
        RecordingHandler loweredServerSide = Await.next(accepted);
        lowered.write(ByteBuffer.allocate(100));
        lowered.write(ByteBuffer.allocate(101));
        assertEquals(100, Await.next(loweredServerSide.frames).length);
        assertEquals(Reason.FRAME_TOO_LARGE, loweredServerSide.awaitClose());
        assertEquals(0, loweredServerSide.frames.size(), "nothing of the oversized frame is delivered");

        RecordingHandler raisedClient = RecordingHandler.recording();
        Connection raised = Await.result(client.connect(address, raisedClient));
        RecordingHandler raisedServerSide = Await.next(accepted);
        // Above the transport's maximum: capped at 1024.
        Await.result(raisedServerSide.connection).maxInboundFrameBytes(Integer.MAX_VALUE);
        raised.write(ByteBuffer.allocate(500));
        raised.write(ByteBuffer.allocate(1024));
        assertEquals(500, Await.next(raisedServerSide.frames).length);
        assertEquals(1024, Await.next(raisedServerSide.frames).length);
        assertTrue(raised.isOpen());
        raised.write(ByteBuffer.allocate(1025));
        assertEquals(Reason.FRAME_TOO_LARGE, raisedServerSide.awaitClose());
        assertTrue(raisedClient.awaitClose() != null);
        assertThrows(IllegalArgumentException.class,
                () -> Await.result(raisedServerSide.connection).maxInboundFrameBytes(-1));
    }

    @Test
    void aFrameLargerThanTheWholeWriteQueueLimitIsRefused() {
        Server server = listen(transport(), false);
        Connection c = Await.result(transport(b -> b.writeQueueLimitBytes(1000))
                .connect(server.address, RecordingHandler.recording()));
        assertThrows(WriteQueueFullException.class, () -> c.write(ByteBuffer.allocate(2000)));
        c.write(frame("small"));
        assertEquals("small", text(Await.next(Await.next(server.accepted).frames)));
    }

    @Test
    void idleConnectionsCloseWhenTheClockPassesTheTimeout() {
        // Only the client ages its connections, so the close it sees is its own idle close.
        Server server = listen(transport(b -> b.idleTimeout(Duration.ZERO)), true);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport(b -> b.idleTimeout(Duration.ofSeconds(30)))
                .connect(server.address, client));
        RecordingHandler serverSide = Await.next(server.accepted);

        ticker.advance(Duration.ofSeconds(20));
        c.write(frame("activity"));
        assertEquals("activity", text(Await.next(client.frames)));
        ticker.advance(Duration.ofSeconds(20));
        c.write(frame("still open 40 s after the start, 20 s after the last frame"));
        Await.next(client.frames);
        assertTrue(c.isOpen());

        ticker.advance(Duration.ofSeconds(31));
        assertEquals(Reason.IDLE_TIMEOUT, client.awaitClose());
        assertEquals(Reason.REMOTE_CLOSE, serverSide.awaitClose());
        assertFalse(c.isOpen());
    }

    @Test
    void aZeroIdleTimeoutNeverClosesIdleConnections() {
        Server server = listen(transport(b -> b.idleTimeout(Duration.ZERO)), true);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport(b -> b.idleTimeout(Duration.ZERO))
                .connect(server.address, client));
        ticker.advance(Duration.ofDays(365));
        c.write(frame("a year later"));
        assertEquals("a year later", text(Await.next(client.frames)));
        assertTrue(c.isOpen());
        assertFalse(client.closed.isDone());
    }

    @Test
    void acceptedConnectionsOverTheCapAreClosedAndTheOthersCarryOn() {
        Server server = listen(transport(b -> b.maxConnections(2)), true);
        Transport client = transport();
        RecordingHandler first = RecordingHandler.recording();
        Connection c1 = Await.result(client.connect(server.address, first));
        Await.next(server.accepted);
        RecordingHandler second = RecordingHandler.recording();
        Connection c2 = Await.result(client.connect(server.address, second));
        Await.next(server.accepted);

        RecordingHandler third = RecordingHandler.recording();
        CompletionStage<Connection> c3 = client.connect(server.address, third);
        Throwable outcome = c3.handle((conn, error) -> error).toCompletableFuture().join();
        if (outcome == null) {
            third.awaitClose();
        } else {
            assertInstanceOf(ConnectFailedException.class, outcome);
        }
        assertEquals(0, server.accepted.size(), "the acceptor never saw the extra connection");

        c1.write(frame("one"));
        c2.write(frame("two"));
        assertEquals("one", text(Await.next(first.frames)));
        assertEquals("two", text(Await.next(second.frames)));
    }

    @Test
    void openingAConnectionOverTheCapFailsWithATypedException() {
        Server server = listen(transport(), false);
        Transport client = transport(b -> b.maxConnections(1));
        Await.result(client.connect(server.address, RecordingHandler.recording()));
        Throwable error = Await.failure(client.connect(server.address, RecordingHandler.recording()));
        assertInstanceOf(ConnectionLimitException.class, error);
    }

    @Test
    void connectingToAClosedPortFailsWithATypedException() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable error = Await.failure(transport().connect(PeerAddress.loopback(port),
                RecordingHandler.recording()));
        assertInstanceOf(ConnectFailedException.class, error);
    }

    @Test
    void listeningOnAPortInUseFailsWithATypedException() {
        Server server = listen(transport(), false);
        Throwable error = Await.failure(transport().listen(server.address, c -> RecordingHandler.recording()));
        assertInstanceOf(ListenFailedException.class, error);
    }

    @Test
    void closeWritesWhatIsQueuedThenBothSidesSeeTheClose() {
        Server server = listen(transport(), false);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(server.address, client));
        for (int i = 0; i < 1000; i++) {
            c.write(frame("m" + i));
        }
        c.close();
        assertEquals(Reason.LOCAL_CLOSE, client.awaitClose());
        RecordingHandler serverSide = Await.next(server.accepted);
        assertEquals(Reason.REMOTE_CLOSE, serverSide.awaitClose());
        assertEquals(1000, serverSide.frames.size(), "every queued frame was written before close");
        assertEquals("m999", text(new ArrayList<>(serverSide.frames).get(999)));
        assertEquals(0, serverSide.callbacksAfterClose());
        assertEquals(0, client.callbacksAfterClose());
    }

    @Test
    void writingToAClosedConnectionFailsWithTheCloseReason() {
        Server server = listen(transport(), false);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(server.address, client));
        c.close();
        client.awaitClose();
        assertThrows(ConnectionClosedException.class, () -> c.write(frame("late")));
        assertInstanceOf(ConnectionClosedException.class, Await.failure(c.send(frame("late"))));
    }

    @Test
    void abortReportsTheGivenReasonAndTheRemoteSideSeesAClose() {
        Server server = listen(transport(), false);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(server.address, client));
        RecordingHandler serverSide = Await.next(server.accepted);
        c.abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR, "test says so"));
        assertEquals(Reason.PROTOCOL_ERROR, client.awaitClose());
        assertTrue(serverSide.awaitClose() != null);
    }

    @Test
    void aHandlerThatAbortsItsConnectionGetsNothingMoreButTheClose() {
        AtomicInteger frames = new AtomicInteger();
        AtomicInteger readCompletes = new AtomicInteger();
        CompletableFuture<ConnectionClosedException> closed = new CompletableFuture<>();
        PeerAddress address = Await.result(transport().listen(PeerAddress.loopback(0),
                conn -> new ConnectionHandler() {
                    @Override
                    public void onFrame(Connection c, ByteBuffer f) {
                        frames.incrementAndGet();
                        c.abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR,
                                "the first frame is enough"));
                    }

                    @Override
                    public void onReadComplete(Connection c) {
                        readCompletes.incrementAndGet();
                    }

                    @Override
                    public void onClosed(Connection c, ConnectionClosedException reason) {
                        closed.complete(reason);
                    }
                }));
        Connection c = Await.result(transport().connect(address, RecordingHandler.recording()));
        try {
            for (int i = 0; i < 100; i++) {
                c.write(frame("f" + i));
            }
        } catch (ConnectionClosedException e) {
            // The abort may close this end before the burst is written; what was written counts.
        }

        assertEquals(Reason.PROTOCOL_ERROR, Await.result(closed).reason());
        assertEquals(1, frames.get(), "frames delivered, the one that caused the abort included");
        assertEquals(0, readCompletes.get(), "read completions after the abort");
    }

    @Test
    void aHandlerThatThrowsClosesOnlyItsOwnConnection() {
        Transport serverTransport = transport();
        BlockingQueue<RecordingHandler> accepted = new LinkedBlockingQueue<>();
        PeerAddress address = Await.result(serverTransport.listen(PeerAddress.loopback(0), conn -> {
            RecordingHandler h = RecordingHandler.echoing();
            accepted.add(h);
            return new org.p2pchat.spi.ConnectionHandler() {
                @Override
                public void onFrame(Connection c, ByteBuffer f) {
                    if (f.remaining() == 4) {
                        throw new IllegalStateException("boom: a handler bug");
                    }
                    h.onFrame(c, f);
                }

                @Override
                public void onClosed(Connection c, ConnectionClosedException reason) {
                    h.onClosed(c, reason);
                }
            };
        }));
        Transport client = transport();
        RecordingHandler victim = RecordingHandler.recording();
        Connection bad = Await.result(client.connect(address, victim));
        RecordingHandler bystander = RecordingHandler.recording();
        Connection good = Await.result(client.connect(address, bystander));
        bad.write(frame("boom"));
        victim.awaitClose();
        good.write(frame("unharmed"));
        assertEquals("unharmed", text(Await.next(bystander.frames)));
    }

    @Test
    void everyFrameIsFollowedByAReadCompleteOnTheFramesThreadAndConnection() {
        Server server = listen(transport(), true);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(server.address, client));
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            c.write(frame("f" + i));
        }
        RecordingHandler serverSide = Await.next(server.accepted);
        for (RecordingHandler h : List.of(serverSide, client)) {
            // onFrame counts a frame before queueing it: all n queued and a count of 0 means
            // the last frame's run has ended.
            Await.until("all " + n + " frames and the read completion after the last",
                    () -> h.frames.size() == n && h.framesAwaitingReadComplete() == 0);
            assertTrue(h.readCompletes() >= 1, "at least one read completion");
            assertEquals(0, h.misplacedReadCompletes(),
                    "read completions with no frame before them, or on another thread or"
                            + " connection");
        }
    }

    @Test
    void aHandlerCanAnswerAWholeRunOfFramesAtOnceFromOnReadComplete() {
        Transport serverTransport = transport();
        PeerAddress address = Await.result(serverTransport.listen(PeerAddress.loopback(0),
                conn -> new ConnectionHandler() {
                    private int unanswered;

                    @Override
                    public void onFrame(Connection c, ByteBuffer f) {
                        unanswered++;
                    }

                    @Override
                    public void onReadComplete(Connection c) {
                        c.write(ByteBuffer.allocate(4).putInt(0, unanswered));
                        unanswered = 0;
                    }

                    @Override
                    public void onClosed(Connection c, ConnectionClosedException reason) {
                    }
                }));
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(address, client));
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            c.write(frame("request " + i));
        }
        int answered = 0;
        while (answered < n) { // each answer covers at least one frame, so at most n rounds
            int covered = ByteBuffer.wrap(Await.next(client.frames)).getInt();
            assertTrue(covered > 0, "an answer that covered no frame");
            answered += covered;
        }
        assertEquals(n, answered);
    }

    @Test
    void aHandlerThatThrowsInOnReadCompleteClosesOnlyItsOwnConnection() {
        Transport serverTransport = transport();
        PeerAddress address = Await.result(serverTransport.listen(PeerAddress.loopback(0), conn -> {
            RecordingHandler h = RecordingHandler.echoing();
            return new ConnectionHandler() {
                private boolean boom;

                @Override
                public void onFrame(Connection c, ByteBuffer f) {
                    boom |= f.remaining() == 4;
                    h.onFrame(c, f);
                }

                @Override
                public void onReadComplete(Connection c) {
                    if (boom) {
                        throw new IllegalStateException("boom: a handler bug");
                    }
                }

                @Override
                public void onClosed(Connection c, ConnectionClosedException reason) {
                    h.onClosed(c, reason);
                }
            };
        }));
        Transport client = transport();
        RecordingHandler victim = RecordingHandler.recording();
        Connection bad = Await.result(client.connect(address, victim));
        RecordingHandler bystander = RecordingHandler.recording();
        Connection good = Await.result(client.connect(address, bystander));
        bad.write(frame("boom"));
        victim.awaitClose();
        assertFalse(bad.isOpen());
        good.write(frame("unharmed"));
        assertEquals("unharmed", text(Await.next(bystander.frames)));
        assertTrue(good.isOpen());
    }

    @Test
    void closingTheTransportClosesEveryConnectionWithinTheCloseTimeout() {
        Server server = listen(transport(), false);
        Transport client = transport(b -> b.closeTimeout(Duration.ofSeconds(1)));
        RecordingHandler a = RecordingHandler.recording();
        RecordingHandler b = RecordingHandler.recording();
        Await.result(client.connect(server.address, a));
        Await.result(client.connect(server.address, b));
        assertTimeoutPreemptively(Duration.ofSeconds(5), client::close);
        assertEquals(Reason.TRANSPORT_CLOSED, a.awaitClose());
        assertEquals(Reason.TRANSPORT_CLOSED, b.awaitClose());
        Await.next(server.accepted).awaitClose();
        assertInstanceOf(TransportClosedException.class,
                Await.failure(client.connect(server.address, RecordingHandler.recording())));
        assertInstanceOf(TransportClosedException.class,
                Await.failure(client.listen(PeerAddress.loopback(0), c -> RecordingHandler.recording())));
        client.close();
    }

    @Test
    void connectionsReportTheirAddresses() {
        Server server = listen(transport(), false);
        Connection c = Await.result(transport().connect(server.address, RecordingHandler.recording()));
        assertEquals(server.address, c.remoteAddress());
        Connection accepted = Await.result(Await.next(server.accepted).connection);
        assertEquals(c.localAddress(), accepted.remoteAddress());
        assertTrue(c.id() != accepted.id() || c != accepted);
    }
}
