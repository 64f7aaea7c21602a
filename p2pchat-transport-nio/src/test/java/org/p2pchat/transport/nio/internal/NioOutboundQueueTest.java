package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.WriteQueueFullException;

/** The write queue against a channel that takes at most a few bytes per write. */
class NioOutboundQueueTest {

    /** Accepts up to {@code perWrite} bytes per call, like a socket with a small buffer. */
    private static final class SlowChannel implements GatheringByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int perWrite;
        int calls;

        SlowChannel(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            int budget = perWrite;
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                int n = Math.min(budget, srcs[i].remaining());
                for (int k = 0; k < n; k++) {
                    received.write(srcs[i].get());
                }
                budget -= n;
                total += n;
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static void flushAll(NioOutboundQueue queue, SlowChannel channel) throws IOException {
        assertTrue(queue.acquireForLoop());
        for (int i = 0; i < 1_000_000 && queue.prepare() > 0; i++) {
            queue.writePrepared(channel);
        }
        assertTrue(queue.releaseFromLoop(), "everything was written");
    }

    @Test
    void framesSpanningChunksLeaveAsPrefixPlusPayloadInOrder() throws IOException {
        ChunkPool pool = new ChunkPool(16);
        NioOutboundQueue queue = new NioOutboundQueue(pool, 1 << 22, "test");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[i % 20 == 0 ? 150_000 : random.nextInt(3000)];
            random.nextBytes(payload);
            expected.write(NioFixture.frame(payload));
            ByteBuffer frame = ByteBuffer.wrap(payload);
            queue.enqueue(frame, null, false);
            assertFalse(frame.hasRemaining(), "the frame is consumed");
        }
        assertEquals(expected.size(), queue.queuedBytes());
        SlowChannel channel = new SlowChannel(50_000);
        flushAll(queue, channel);
        assertArrayEquals(expected.toByteArray(), channel.received.toByteArray());
        assertEquals(0, queue.queuedBytes());
        assertTrue(pool.idle() > 0, "drained chunks go back to the pool");
    }

    @Test
    void theLimitCountsPrefixAndPayloadAndRefusesWithoutQueueing() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 100, "test");
        assertEquals(NioOutboundQueue.SCHEDULE, queue.enqueue(ByteBuffer.allocate(96), null, false));
        ByteBuffer empty = ByteBuffer.allocate(0);
        assertThrows(WriteQueueFullException.class, () -> queue.enqueue(empty, null, false));
        assertEquals(100, queue.queuedBytes());
        SlowChannel channel = new SlowChannel(1000);
        flushAll(queue, channel);
        assertEquals(100, channel.received.size());
    }

    @Test
    void sendStagesCompleteOnlyOnceTheirLastByteIsWritten() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        queue.enqueue(ByteBuffer.allocate(10), first, false);
        queue.enqueue(ByteBuffer.allocate(10), second, false);
        SlowChannel channel = new SlowChannel(13);
        assertTrue(queue.acquireForLoop());
        queue.prepare();
        queue.writePrepared(channel);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        queue.collectWritten(done);
        assertEquals(0, done.size(), "13 of the first frame's 14 bytes are out");
        queue.prepare();
        queue.writePrepared(channel);
        queue.collectWritten(done);
        assertEquals(List.of(first), done);

        ConnectionClosedException reason = new ConnectionClosedException(Reason.IO_ERROR, "gone");
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        queue.dispose(reason, failed);
        assertEquals(List.of(second), failed);
        ConnectionClosedException thrown = assertThrows(ConnectionClosedException.class,
                () -> queue.enqueue(ByteBuffer.allocate(1), null, false));
        assertEquals(reason, thrown);
    }

    @Test
    void onlyTheFirstWriteIntoAnIdleQueueMayGoDirectAndOnlyOnceUntilAFrameArrives() {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        assertEquals(NioOutboundQueue.WRITE_NOW, queue.enqueue(ByteBuffer.allocate(1), null, true));
        assertEquals(NioOutboundQueue.QUEUED, queue.enqueue(ByteBuffer.allocate(1), null, true),
                "a write while the caller flushes just queues");
        assertEquals(NioOutboundQueue.HAND_OVER, queue.releaseFromCaller(false, null),
                "bytes left: the loop takes over");
        assertTrue(queue.acquireForLoop());
        assertFalse(queue.releaseFromLoop());
    }

    @Test
    void aSendIntoAnIdleQueueGoesDirectAndItsSenderTakesTheStageOnceTheFrameIsOutWhole()
            throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        CompletableFuture<Void> stage = new CompletableFuture<>();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(10), stage, true));
        SlowChannel channel = new SlowChannel(1000);
        assertEquals(14, queue.prepare());
        assertEquals(14, queue.writePrepared(channel));
        assertEquals(NioOutboundQueue.SENT, queue.releaseFromCaller(false, stage),
                "written whole, nothing left: the sender completes the stage, no hand-over");
        List<CompletableFuture<Void>> left = new ArrayList<>();
        queue.dispose(new ConnectionClosedException(Reason.IO_ERROR, "gone"), left);
        assertEquals(List.of(), left, "the stage is no longer queued, so nobody else completes it");
        assertFalse(stage.isDone(), "the queue never completes stages itself");
    }

    @Test
    void aPartlyWrittenDirectSendLeavesItsStageToTheLoopAheadOfLaterOnes() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(10), first, true));
        queue.prepare();
        assertEquals(NioOutboundQueue.QUEUED, queue.enqueue(ByteBuffer.allocate(10), second, true),
                "another sender while the first writes just queues");
        SlowChannel channel = new SlowChannel(13);
        assertEquals(13, queue.writePrepared(channel));
        assertEquals(NioOutboundQueue.HAND_OVER, queue.releaseFromCaller(false, first),
                "one byte of the frame is left: the stage stays queued for the loop");

        flushAll(queue, channel);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        queue.collectWritten(done);
        assertEquals(List.of(first, second), done, "in frame order");
    }

    @Test
    void aWholeDirectSendIsTheSendersWhileLaterStagesStayForTheLoop() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(10), first, true));
        queue.prepare();
        queue.enqueue(ByteBuffer.allocate(10), second, true);
        SlowChannel channel = new SlowChannel(1000);
        assertEquals(14, queue.writePrepared(channel), "the snapshot holds the first frame only");
        assertEquals(NioOutboundQueue.SENT | NioOutboundQueue.HAND_OVER,
                queue.releaseFromCaller(false, first));

        flushAll(queue, channel);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        queue.collectWritten(done);
        assertEquals(List.of(second), done);
        assertEquals(28, channel.received.size());
    }

    @Test
    void aFailedDirectSendLeavesItsStageForTheLoopToFail() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        CompletableFuture<Void> stage = new CompletableFuture<>();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(10), stage, true));
        queue.prepare();
        assertEquals(NioOutboundQueue.HAND_OVER, queue.releaseFromCaller(true, stage),
                "the write threw: the loop takes over and meets the error");
        ConnectionClosedException reason = new ConnectionClosedException(Reason.IO_ERROR, "reset");
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        queue.dispose(reason, failed);
        assertEquals(List.of(stage), failed);
    }

    @Test
    void aDirectSendDisposedMidWriteIsFailedByTheLoopAlone() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        CompletableFuture<Void> stage = new CompletableFuture<>();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(10), stage, true));
        queue.prepare();
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        queue.dispose(new ConnectionClosedException(Reason.IO_ERROR, "gone"), failed);
        queue.writePrepared(new SlowChannel(1000));
        assertEquals(0, queue.releaseFromCaller(false, stage),
                "the loop took the stage when it disposed the queue: "
                + "the sender must not complete it");
        assertEquals(List.of(stage), failed);
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void aSendGoesDirectOnlyFromOutsideTheLoopAndOnlyOnceUntilAFrameArrives() throws IOException {
        NioOutboundQueue queue = new NioOutboundQueue(new ChunkPool(4), 1 << 20, "test");
        SlowChannel channel = new SlowChannel(1000);
        assertEquals(NioOutboundQueue.SCHEDULE,
                queue.enqueue(ByteBuffer.allocate(1), new CompletableFuture<>(), false),
                "a send from the loop thread goes through the loop");
        flushAll(queue, channel);
        queue.collectWritten(new ArrayList<>());

        CompletableFuture<Void> direct = new CompletableFuture<>();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(1), direct, true));
        queue.prepare();
        queue.writePrepared(channel);
        assertEquals(NioOutboundQueue.SENT, queue.releaseFromCaller(false, direct));

        assertEquals(NioOutboundQueue.SCHEDULE,
                queue.enqueue(ByteBuffer.allocate(1), new CompletableFuture<>(), true),
                "no frame arrived since the last direct write");
        flushAll(queue, channel);
        queue.collectWritten(new ArrayList<>());
        queue.allowDirect();
        assertEquals(NioOutboundQueue.WRITE_NOW,
                queue.enqueue(ByteBuffer.allocate(1), new CompletableFuture<>(), true));
    }
}
