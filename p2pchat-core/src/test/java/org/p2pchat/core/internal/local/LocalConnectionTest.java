package org.p2pchat.core.internal.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * How the in-JVM connection groups frames into reads and completes send stages; the SPI contract
 * is tested elsewhere.
 */
class LocalConnectionTest {
    private final List<LocalTransport> transports = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeTransports() {
        release.countDown();
        transports.forEach(LocalTransport::close);
    }

    @Test
    void framesThatQueueWhileTheLoopIsBusyAreReadAsOneRun() {
        assertEquals(List.of(100), runsOfBurstWrittenWhileTheLoopIsHeld(100));
    }

    @Test
    void aLongBurstIsReadInRunsOfAtMost256Frames() {
        assertEquals(List.of(256, 256, 88), runsOfBurstWrittenWhileTheLoopIsHeld(600));
    }

    @Test
    void aCloseArrivesAfterEveryFrameWrittenBeforeIt() {
        Runs runs = new Runs();
        LocalTransport server = transport("server");
        Connection c = connect(server, runs);
        for (int i = 0; i < 1_000; i++) {
            c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        c.close();
        assertEquals(Reason.REMOTE_CLOSE, Await.result(runs.closed).reason());
        assertEquals(1_000, runs.total(), "frames read before the close");
    }

    @Test
    void framesQueuedInTheSameRunAsAnAbortAreNotDelivered() {
        AbortingOnFirstFrame server = new AbortingOnFirstFrame();
        LocalTransport serverTransport = transport("server");
        PeerAddress address = Await.result(serverTransport.listen(PeerAddress.loopback(0),
                conn -> server));
        Connection c = Await.result(transport("client").connect(address,
                RecordingHandler.recording()));
        holdLoop(serverTransport);
        for (int i = 0; i < 10; i++) {
            c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        release.countDown();

        assertEquals(Reason.PROTOCOL_ERROR, Await.result(server.closed).reason());
        assertEquals(1, server.frames, "frames delivered, the one that caused the abort included");
        assertEquals(0, server.readCompletes, "read completions after the abort");
    }

    @Test
    void anAbortedConnectionReportsTheAbortEvenIfARemoteCloseIsReadBeforeIt() {
        Runs runs = new Runs();
        LocalTransport server = transport("server");
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        PeerAddress address = Await.result(server.listen(PeerAddress.loopback(0), conn -> {
            accepted.complete(conn);
            return runs;
        }));
        LocalTransport clientTransport = transport("client");
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(clientTransport.connect(address, client));
        Connection serverSide = Await.result(accepted);
        holdLoop(server);
        c.close();
        client.awaitClose();
        // The client's close has finished on its loop, so its notice waits in the server's
        // inbox, ahead of the abort's own close.
        CountDownLatch clientLoopPassed = new CountDownLatch(1);
        clientTransport.runOnLoop(clientLoopPassed::countDown);
        Await.until("the client's loop to pass its close", () -> clientLoopPassed.getCount() == 0);

        serverSide.abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR, "test says so"));
        release.countDown();

        ConnectionClosedException reported = Await.result(runs.closed);
        assertEquals(Reason.PROTOCOL_ERROR, reported.reason());
        assertEquals("test says so", reported.getMessage());
    }

    @Test
    void aSendsStageCompletesOnTheWritersLoopBehindWhatTheLoopWasDoing() {
        LocalTransport clientTransport = transport("client");
        Connection c = connectFrom(clientTransport, new Runs());
        holdLoop(clientTransport);

        CompletableFuture<Void> sent = c.send(ByteBuffer.wrap(new byte[] {1})).toCompletableFuture();
        // Not complete while the writer's loop is busy: a writer waiting for it packs what
        // queues meanwhile into its next frame, as over a socket.
        assertFalse(sent.isDone(), "complete before the writer's loop got to it");
        CompletableFuture<String> completedOn = sent.thenApply(v -> Thread.currentThread().getName());
        release.countDown();

        assertEquals("p2pchat-local-client", Await.result(completedOn));
    }

    @Test
    void aRefusedSendFailsAfterTheStagesOfEarlierSends() {
        LocalTransport clientTransport = transport("client");
        Connection c = connectFrom(clientTransport, new Runs());
        holdLoop(clientTransport);
        List<String> order = new CopyOnWriteArrayList<>();

        c.send(ByteBuffer.wrap(new byte[] {1})).whenComplete((v, e) -> order.add("first"));
        byte[] tooLarge = new byte[TransportOptions.builder().build().maxFrameBytes() + 1];
        CompletableFuture<Void> refused = c.send(ByteBuffer.wrap(tooLarge)).toCompletableFuture();
        refused.whenComplete((v, e) -> order.add(e == null ? "refused completed" : "refused failed"));
        assertFalse(refused.isDone(), "failed ahead of an earlier send's stage");
        release.countDown();

        Await.until("both stages to complete", () -> order.size() == 2);
        assertEquals(List.of("first", "refused failed"), order);
        assertTrue(refused.isCompletedExceptionally());
    }

    @Test
    void aSendOnAClosedTransportStillCompletes() {
        LocalTransport clientTransport = transport("client");
        Connection c = connectFrom(clientTransport, new Runs());
        clientTransport.close();

        CompletableFuture<Void> sent = c.send(ByteBuffer.wrap(new byte[] {1})).toCompletableFuture();

        assertTrue(sent.isCompletedExceptionally(), "a send after the close fails, and at once");
    }

    /** Writes {@code frames} frames while the server's loop is held; returns the runs read. */
    private List<Integer> runsOfBurstWrittenWhileTheLoopIsHeld(int frames) {
        Runs runs = new Runs();
        LocalTransport server = transport("server");
        Connection c = connect(server, runs);
        holdLoop(server);
        for (int i = 0; i < frames; i++) {
            c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        release.countDown();
        Await.until(frames + " frames read", () -> runs.total() == frames);
        return runs.sizes();
    }

    private LocalTransport transport(String name) {
        LocalTransport t = new LocalTransport(TransportOptions.builder().name(name).build(),
                LocalNetwork.JVM);
        transports.add(t);
        return t;
    }

    /** Connects {@code client} to a new server transport whose side records runs. */
    private Connection connectFrom(LocalTransport client, Runs runs) {
        LocalTransport server = transport("server");
        PeerAddress address = Await.result(server.listen(PeerAddress.loopback(0), conn -> runs));
        return Await.result(client.connect(address, RecordingHandler.recording()));
    }

    /** Connects a new client transport to {@code server}, whose side records runs. */
    private Connection connect(LocalTransport server, Runs runs) {
        PeerAddress address = Await.result(server.listen(PeerAddress.loopback(0), conn -> runs));
        return Await.result(transport("client").connect(address, RecordingHandler.recording()));
    }

    /** Keeps the loop of {@code t} busy until {@link #release} opens, so frames queue up. */
    private void holdLoop(LocalTransport t) {
        CountDownLatch held = new CountDownLatch(1);
        t.runOnLoop(() -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Await.until("the loop is held", () -> held.getCount() == 0);
    }

    /** Aborts its connection on the first frame; runs on the loop, read after the close. */
    private static final class AbortingOnFirstFrame implements ConnectionHandler {
        volatile int frames;
        volatile int readCompletes;
        final CompletableFuture<ConnectionClosedException> closed = new CompletableFuture<>();

        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            frames++;
            connection.abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR, "first frame"));
        }

        @Override
        public void onReadComplete(Connection connection) {
            readCompletes++;
        }

        @Override
        public void onClosed(Connection connection, ConnectionClosedException reason) {
            closed.complete(reason);
        }
    }

    /** Records how many frames each read run had; runs on the loop, read from the test thread. */
    private static final class Runs implements ConnectionHandler {
        private final List<Integer> sizes = new ArrayList<>();
        private int current;
        private int total;
        final CompletableFuture<ConnectionClosedException> closed = new CompletableFuture<>();

        @Override
        public synchronized void onFrame(Connection connection, ByteBuffer frame) {
            current++;
        }

        @Override
        public synchronized void onReadComplete(Connection connection) {
            assertTrue(current > 0, "a read run without frames");
            sizes.add(current);
            total += current;
            current = 0;
        }

        @Override
        public void onClosed(Connection connection, ConnectionClosedException reason) {
            closed.complete(reason);
        }

        synchronized int total() {
            return total;
        }

        synchronized List<Integer> sizes() {
            return List.copyOf(sizes);
        }
    }
}
