package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.spi.Connection;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * Several threads writing to one connection while echoes keep arriving, so writes alternate
 * between the caller-thread fast path and the event loop: every frame arrives whole, and each
 * thread's frames in the order it wrote them.
 */
class NioConcurrentWritersTest {
    private static final int THREADS = 4;
    private static final int FRAMES = 5_000;
    private final NioFixture fixture = new NioFixture();

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void concurrentWritersInterleaveWholeFramesInPerThreadOrder() throws InterruptedException {
        NioFixture.Server server = fixture.server(b -> { }, true);
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(fixture.transport().connect(server.address, client));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int writer = t;
            threads.add(new Thread(() -> {
                ByteBuffer frame = ByteBuffer.allocate(8 + writer * 100);
                for (int i = 0; i < FRAMES; i++) {
                    frame.clear();
                    frame.putInt(0, writer).putInt(4, i);
                    try {
                        c.write(frame);
                    } catch (WriteQueueFullException e) {
                        i--;
                        Thread.onSpinWait();
                    } catch (RuntimeException e) {
                        errors.add(e);
                        return;
                    }
                }
            }, "writer-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(Await.DEFAULT.toMillis());
            assertFalse(t.isAlive(), t.getName() + " is stuck");
        }
        assertEquals(List.of(), errors);

        int[] next = new int[THREADS];
        RecordingHandler serverSide = Await.next(server.accepted);
        for (int n = 0; n < THREADS * FRAMES; n++) {
            ByteBuffer echoed = ByteBuffer.wrap(Await.next(client.frames));
            int writer = echoed.getInt(0);
            assertEquals(8 + writer * 100, echoed.capacity(), "frame length of writer " + writer);
            assertEquals(next[writer]++, echoed.getInt(4), "sequence of writer " + writer);
        }
        assertEquals(THREADS * FRAMES, serverSide.frames.size());
    }
}
