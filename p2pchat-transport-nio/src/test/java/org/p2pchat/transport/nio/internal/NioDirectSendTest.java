package org.p2pchat.transport.nio.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.spi.Connection;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * {@code send} writing from the calling thread: on an idle request/response connection the stage
 * is complete when {@code send} returns; under concurrent senders every stage completes once, in
 * order per thread, and frames stay whole; a direct write the socket takes only part of leaves
 * the rest, and the stage, to the event loop.
 */
class NioDirectSendTest {
    private static final int ROUND_TRIPS = 200;
    private static final int THREADS = 4;
    private static final int FRAMES = 5_000;
    /** Far more than the loopback socket buffers hold (send buffer up to 4 MiB by default). */
    private static final int BIG = 16 << 20;

    private final NioFixture fixture = new NioFixture();

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void aSendOnAnIdleRequestResponseConnectionIsWrittenAndCompletedByItsCaller() {
        NioFixture.Server server = fixture.server(b -> { }, true);
        RecordingHandler client = RecordingHandler.recording();
        NioConnection c = (NioConnection) Await.result(
                fixture.transport().connect(server.address, client));
        for (int i = 0; i < ROUND_TRIPS; i++) {
            // The loop re-arms the direct path once it is done with the read that brought the echo.
            Await.until("a frame arrived since the last direct write", c::directWriteAllowed);
            byte[] payload = ("request " + i).getBytes(UTF_8);
            CompletableFuture<Void> sent = c.send(ByteBuffer.wrap(payload)).toCompletableFuture();
            assertTrue(sent.isDone(), "round trip " + i + ": the frame was written at once, so its "
                    + "stage is complete when send returns");
            Await.result(sent);
            assertArrayEquals(payload, Await.next(client.frames), "echo of round trip " + i);
        }
        assertTrue(c.isOpen());
    }

    @Test
    void concurrentSendersSeeEveryStageCompleteInTheirOrderAndEveryFrameWhole()
            throws InterruptedException {
        NioFixture.Server server = fixture.server(b -> { }, true);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(fixture.transport().connect(server.address, client));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicIntegerArray completed = new AtomicIntegerArray(THREADS);
        LongAdder doneAtReturn = new LongAdder();
        List<CompletableFuture<Void>> lastStages = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int writer = t;
            threads.add(new Thread(() -> {
                ByteBuffer frame = ByteBuffer.allocate(8 + writer * 100);
                CompletableFuture<Void> previous = null;
                for (int i = 0; i < FRAMES; i++) {
                    frame.clear();
                    frame.putInt(0, writer).putInt(4, i);
                    CompletableFuture<Void> stage = c.send(frame).toCompletableFuture();
                    if (stage.isDone()) {
                        doneAtReturn.increment();
                    }
                    if (stage.isCompletedExceptionally()) {
                        Throwable e = stage.handle((v, x) -> x).join();
                        if (e instanceof WriteQueueFullException) {
                            i--;
                            Thread.onSpinWait();
                            continue;
                        }
                        errors.add(e);
                        return;
                    }
                    int seq = i;
                    CompletableFuture<Void> before = previous;
                    stage.whenComplete((v, e) -> {
                        if (e != null) {
                            errors.add(e);
                        } else if (before != null && !before.isDone()) {
                            errors.add(new AssertionError("writer " + writer + ": stage " + seq
                                    + " completed before stage " + (seq - 1)));
                        } else if (!completed.compareAndSet(writer, seq, seq + 1)) {
                            errors.add(new AssertionError("writer " + writer + ": stage " + seq
                                    + " completed after " + completed.get(writer) + " stages"));
                        }
                    });
                    previous = stage;
                }
                lastStages.add(previous);
            }, "sender-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(Await.DEFAULT.toMillis());
            assertFalse(t.isAlive(), t.getName() + " is stuck");
        }
        assertEquals(List.of(), errors);
        assertEquals(THREADS, lastStages.size());
        lastStages.forEach(Await::result);
        Await.until("every stage's completion action ran", () -> {
            for (int t = 0; t < THREADS; t++) {
                if (completed.get(t) != FRAMES) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(List.of(), errors);
        assertTrue(doneAtReturn.sum() > 0, "at least the first send went out from its caller");

        int[] next = new int[THREADS];
        RecordingHandler serverSide = Await.next(server.accepted);
        for (int n = 0; n < THREADS * FRAMES; n++) {
            ByteBuffer echoed = ByteBuffer.wrap(Await.next(client.frames));
            int writer = echoed.getInt(0);
            assertEquals(8 + writer * 100, echoed.capacity(), "frame length of writer " + writer);
            assertEquals(next[writer]++, echoed.getInt(4), "sequence of writer " + writer);
        }
        assertEquals(THREADS * FRAMES, serverSide.frames.size());
        assertTrue(c.isOpen());
    }

    @Test
    void aSendItsCallerWroteOnlyPartOfCompletesOnTheLoopOnceTheRestIsWritten()
            throws IOException {
        NioTransport transport = fixture.transport(b -> b.maxFrameBytes(BIG)
                .writeQueueLimitBytes(2L * BIG));
        BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
        PeerAddress address = Await.result(transport.listen(PeerAddress.loopback(0), c -> {
            accepted.add(c);
            return RecordingHandler.recording();
        }));
        Socket raw = fixture.rawSmallWindow(address, 16 * 1024);
        NioConnection c = (NioConnection) Await.next(accepted);

        byte[] big = new byte[BIG];
        new Random(11).nextBytes(big);
        byte[] small = {1, 2, 3};
        assertTrue(c.directWriteAllowed(), "nothing written yet: the first send may go direct");
        CompletableFuture<Void> first = c.send(ByteBuffer.wrap(big)).toCompletableFuture();
        assertFalse(c.directWriteAllowed(), "the calling thread wrote the frame itself");
        assertFalse(first.isDone(), "the socket took only part of the frame");
        CompletableFuture<Void> second = c.send(ByteBuffer.wrap(small)).toCompletableFuture();

        Await.until("the socket is full and the loop waits to write the rest",
                c::awaitingWritable);
        assertFalse(first.isDone(), "the rest of the frame is still queued");
        assertFalse(second.isDone());
        List<String> completions = new CopyOnWriteArrayList<>();
        first.whenComplete((v, e) -> completions.add("first " + e + " on "
                + Thread.currentThread().getName()));
        second.whenComplete((v, e) -> completions.add("second " + e + " on "
                + Thread.currentThread().getName()));

        DataInputStream in = new DataInputStream(raw.getInputStream());
        assertEquals(BIG, in.readInt());
        assertArrayEquals(big, in.readNBytes(BIG), "the frame arrived whole");
        assertEquals(small.length, in.readInt());
        assertArrayEquals(small, in.readNBytes(small.length));

        Await.result(first);
        Await.result(second);
        Await.until("both completion actions ran", () -> completions.size() == 2);
        String loop = "p2pchat-nio-" + transport.options().name();
        assertEquals(List.of("first null on " + loop, "second null on " + loop), completions,
                "completed by the loop, in order");
        assertTrue(c.isOpen());
    }
}
