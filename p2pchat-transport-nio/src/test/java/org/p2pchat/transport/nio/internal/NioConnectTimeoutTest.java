package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Connection;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * A connect that never completes fails when the transport's ticker passes the connect timeout.
 *
 * <p>To make a connect hang deterministically on loopback, the test listens with a backlog of 1
 * and never accepts, then fills the accept queue with plain sockets: Linux queues backlog + 1
 * completed connections and then drops further SYNs, so the next connect stays in SYN_SENT (the
 * kernel keeps retransmitting for far longer than the test runs). Time is advanced by the
 * {@code ManualTicker}; no test waits for a real timeout.
 */
class NioConnectTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final NioFixture fixture = new NioFixture();

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void aConnectThatDoesNotCompleteFailsWhenTheTickerPassesTheConnectTimeout() throws IOException {
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket first = new Socket();
                Socket second = new Socket()) {
            PeerAddress address = PeerAddress.loopback(neverAccepts.getLocalPort());
            // Fills the accept queue (backlog 1 holds two); both complete their handshakes.
            first.connect(neverAccepts.getLocalSocketAddress(), (int) Await.DEFAULT.toMillis());
            second.connect(neverAccepts.getLocalSocketAddress(), (int) Await.DEFAULT.toMillis());

            NioTransport transport = fixture.transport(b -> b.connectTimeout(TIMEOUT));
            CompletableFuture<Connection> pending = transport
                    .connect(address, RecordingHandler.recording()).toCompletableFuture();
            Await.until("the connect is in progress", () -> transport.loop() != null
                    && pendingAttempts(transport) == 1);
            fixture.ticker.advance(TIMEOUT.minusMillis(1));
            assertFalse(pending.isDone(), "still pending just before the timeout: " + pending);

            fixture.ticker.advance(Duration.ofMillis(2));
            Throwable error = Await.failure(pending);
            assertInstanceOf(ConnectTimeoutException.class, error);
            assertTrue(error.getMessage().contains(address.toString()), error.getMessage());
            Await.until("the attempt is forgotten", () -> pendingAttempts(transport) == 0);
        }
    }

    /** Reads the loop-owned count from the loop itself, so the test sees a consistent value. */
    private static int pendingAttempts(NioTransport transport) {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        transport.loop().execute(() -> count.complete(transport.openCount()));
        return Await.result(count);
    }
}
