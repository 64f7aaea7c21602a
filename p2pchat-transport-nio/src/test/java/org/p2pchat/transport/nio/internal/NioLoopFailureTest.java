package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.TransportClosedException;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.Ticker;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * A Throwable on the event loop outside any handler (an OutOfMemoryError, say; injected here
 * through the transport's clock, which the loop reads every iteration) never ends the loop
 * silently: it carries on, and one that fails at every iteration for a second closes the
 * transport cleanly.
 */
class NioLoopFailureTest {
    private final NioFixture fixture = new NioFixture();
    /** How many more times the clock throws; negative for always. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final Ticker failing = () -> {
        if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
            throw new OutOfMemoryError("injected by the test");
        }
        return System.nanoTime();
    };

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void anErrorOnTheLoopIsLoggedAndTheLoopCarriesOn() {
        NioTransport server = fixture.transport(b -> b.ticker(failing));
        RecordingHandler accepted = RecordingHandler.recording();
        PeerAddress address = Await.result(server.listen(PeerAddress.loopback(0), c -> accepted));
        failuresLeft.set(3);
        Await.until("the loop hit the injected errors", () -> failuresLeft.get() == 0);

        Connection c = Await.result(fixture.transport().connect(address,
                RecordingHandler.recording()));
        c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Await.next(accepted.frames));
    }

    @Test
    void aLoopThatFailsAtEveryIterationClosesTheTransportAndEverythingOnIt() {
        NioTransport server = fixture.transport(b -> b.ticker(failing));
        RecordingHandler accepted = RecordingHandler.recording();
        PeerAddress address = Await.result(server.listen(PeerAddress.loopback(0), c -> accepted));
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(fixture.transport().connect(address, client));
        c.write(ByteBuffer.wrap(new byte[] {7}));
        Await.next(accepted.frames);

        failuresLeft.set(-1);
        // It fails either way: it found the transport closed, or it failed on the clock itself.
        Throwable refused = Await.failure(server.connect(address, RecordingHandler.recording()));
        assertTrue(refused instanceof TransportClosedException
                || refused instanceof ConnectFailedException, refused.toString());
        ConnectionClosedException reason = Await.result(accepted.closed);
        assertEquals(ConnectionClosedException.Reason.TRANSPORT_CLOSED, reason.reason());
        Await.result(client.closed);
        server.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("p2pchat-nio-" + server.name()) && t.isAlive()),
                "the loop thread ended");
    }
}
