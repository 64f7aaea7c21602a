package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.spi.Connection;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/** A remote side that never reads: the write queue fills to its limit and no further. */
class NioBackpressureTest {
    private static final long LIMIT = 256 * 1024;
    private static final int FRAME = 16 * 1024;
    /** Far more frames than the queue limit plus any loopback socket buffers can take. */
    private static final int MAX_WRITES = 20_000;

    private final NioFixture fixture = new NioFixture();
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final BlockingQueue<RecordingHandler> handlers = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    private PeerAddress listen(NioTransport transport) {
        return Await.result(transport.listen(PeerAddress.loopback(0), c -> {
            accepted.add(c);
            RecordingHandler h = RecordingHandler.echoing();
            handlers.add(h);
            return h;
        }));
    }

    @Test
    void writesToAReaderThatNeverReadsAreRefusedAtTheLimitAndTheLoopStaysResponsive()
            throws IOException {
        NioTransport transport = fixture.transport(b -> b.writeQueueLimitBytes(LIMIT));
        PeerAddress address = listen(transport);
        fixture.raw(address);
        NioConnection stuck = (NioConnection) Await.next(accepted);
        Await.next(handlers);

        ByteBuffer frame = ByteBuffer.allocate(FRAME);
        boolean stuckFull = false;
        for (int i = 0; i < MAX_WRITES && !stuckFull; i++) {
            frame.clear();
            try {
                stuck.write(frame);
            } catch (WriteQueueFullException e) {
                // Either the socket is full too (done), or the loop has not caught up yet.
                stuckFull = stuck.awaitingWritable();
                if (!stuckFull) {
                    Await.until("room in the queue or a full socket",
                            () -> stuck.queuedBytes() <= LIMIT - FRAME - 4 || stuck.awaitingWritable());
                }
            }
            assertTrue(stuck.queuedBytes() <= LIMIT, "queued " + stuck.queuedBytes());
        }
        assertTrue(stuckFull, "the queue never filled");
        // The loop may have moved some of the queue into the socket after that refusal; now the
        // socket is full and its reader never reads, so nothing drains: fill what is left.
        boolean refused = false;
        for (int i = 0; i < MAX_WRITES && !refused; i++) {
            frame.clear();
            try {
                stuck.write(frame);
            } catch (WriteQueueFullException e) {
                refused = true;
            }
        }
        assertTrue(refused, "a full queue refused");
        assertTrue(stuck.queuedBytes() > LIMIT - FRAME - 4, "refused only when nearly full: "
                + stuck.queuedBytes());
        assertTrue(stuck.isOpen());

        Socket other = fixture.raw(address);
        Await.next(accepted);
        byte[] payload = {1, 2, 3};
        NioFixture.writeFrame(other.getOutputStream(), payload);
        assertArrayEquals(NioFixture.frame(payload), other.getInputStream().readNBytes(7),
                "another connection is still echoed");
    }

    @Test
    void abortFailsEverySendStillQueuedWithItsReason() throws IOException {
        NioTransport transport = fixture.transport(b -> b.writeQueueLimitBytes(LIMIT));
        PeerAddress address = listen(transport);
        fixture.raw(address);
        Connection stuck = Await.next(accepted);
        RecordingHandler handler = Await.next(handlers);

        // Fill the socket buffers and then the queue, so that the sends at its end are stuck.
        List<CompletionStage<Void>> sends = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocate(FRAME);
        NioConnection nio = (NioConnection) stuck;
        for (int i = 0; i < MAX_WRITES; i++) {
            frame.clear();
            CompletionStage<Void> s = stuck.send(frame);
            if (!s.toCompletableFuture().isCompletedExceptionally()) {
                sends.add(s);
                continue;
            }
            assertInstanceOf(WriteQueueFullException.class, Await.failure(s));
            if (nio.awaitingWritable()) {
                break;
            }
            Await.until("room in the queue or a full socket",
                    () -> nio.queuedBytes() <= LIMIT - FRAME - 4 || nio.awaitingWritable());
        }
        assertTrue(nio.awaitingWritable(), "the socket never filled");
        ConnectionClosedException reason = new ConnectionClosedException(Reason.PROTOCOL_ERROR,
                "enough");
        stuck.abort(reason);
        assertEquals(Reason.PROTOCOL_ERROR, handler.awaitClose());
        int failed = 0;
        for (CompletionStage<Void> s : sends) {
            Throwable outcome = s.handle((v, e) -> e).toCompletableFuture().join();
            if (outcome != null) {
                assertSame(reason, outcome);
                failed++;
            }
        }
        assertTrue(failed > 0, "some sends were still queued");
        ConnectionClosedException late = Await.result(stuck.send(ByteBuffer.allocate(1))
                .handle((v, e) -> (ConnectionClosedException) e));
        assertSame(reason, late);
    }

    @Test
    void aWriteFromAnInterruptedThreadDoesNotCloseTheConnection() {
        NioTransport transport = fixture.transport();
        PeerAddress address = listen(transport);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(fixture.transport().connect(address, client));
        Thread.currentThread().interrupt();
        try {
            c.write(ByteBuffer.wrap(new byte[] {5}));
        } finally {
            if (!Thread.interrupted()) {
                fail("the interrupt status was cleared");
            }
        }
        assertArrayEquals(new byte[] {5}, Await.next(client.frames));
        assertTrue(c.isOpen());
    }
}
