package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.spi.Connection;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/**
 * Malformed length prefixes from a raw socket close that one connection before anything is
 * allocated for the announced frame, and every other connection carries on.
 */
class NioHostileInputTest {
    private static final int MAX = 4096;
    private final NioFixture fixture = new NioFixture();

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @ParameterizedTest(name = "length prefix {0}")
    @ValueSource(ints = {MAX + 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void anOutOfRangeLengthPrefixClosesOnlyThatConnection(int length) throws IOException {
        NioFixture.Server server = fixture.server(b -> b.maxFrameBytes(MAX), false);
        Socket bystander = fixture.raw(server.address);
        RecordingHandler bystanderSide = Await.next(server.accepted);
        Socket hostile = fixture.raw(server.address);
        RecordingHandler hostileSide = Await.next(server.accepted);

        OutputStream out = hostile.getOutputStream();
        out.write(NioFixture.prefix(length));
        out.write(new byte[64]);
        out.flush();

        assertEquals(Reason.FRAME_TOO_LARGE, hostileSide.awaitClose());
        assertEquals(0, hostileSide.frames.size());
        assertEquals(-1, hostile.getInputStream().read(), "the hostile socket sees the close");
        assertStillWorks(bystander, bystanderSide);
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAccepted() throws IOException {
        NioFixture.Server server = fixture.server(b -> b.maxFrameBytes(MAX), false);
        Socket socket = fixture.raw(server.address);
        byte[] payload = new byte[MAX];
        payload[MAX - 1] = 9;
        NioFixture.writeFrame(socket.getOutputStream(), payload);
        assertArrayEquals(payload, Await.next(Await.next(server.accepted).frames));
    }

    @Test
    void garbageInsteadOfAFrameClosesOnlyThatConnection() throws IOException {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket bystander = fixture.raw(server.address);
        RecordingHandler bystanderSide = Await.next(server.accepted);
        Socket hostile = fixture.raw(server.address);
        RecordingHandler hostileSide = Await.next(server.accepted);

        hostile.getOutputStream().write("GET / HTTP/1.1\r\nHost: example\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));

        assertEquals(Reason.FRAME_TOO_LARGE, hostileSide.awaitClose());
        assertEquals(0, hostileSide.frames.size());
        assertStillWorks(bystander, bystanderSide);
    }

    @Test
    void aHandlerThatAbortsMidBatchGetsNoFurtherFrames() throws IOException {
        NioTransport transport = fixture.transport();
        RecordingHandler recorder = RecordingHandler.recording();
        var address = Await.result(transport.listen(org.p2pchat.api.PeerAddress.loopback(0),
                c -> new org.p2pchat.spi.ConnectionHandler() {
                    @Override
                    public void onFrame(Connection connection, ByteBuffer frame) {
                        recorder.onFrame(connection, frame);
                        connection.abort(new org.p2pchat.api.ConnectionClosedException(
                                Reason.PROTOCOL_ERROR, "first frame is enough"));
                    }

                    @Override
                    public void onClosed(Connection connection,
                            org.p2pchat.api.ConnectionClosedException reason) {
                        recorder.onClosed(connection, reason);
                    }
                }));
        Socket socket = fixture.raw(address);
        byte[] three = new byte[3 * 5];
        for (int i = 0; i < 3; i++) {
            ByteBuffer.wrap(three, i * 5, 5).putInt(1).put((byte) i);
        }
        socket.getOutputStream().write(three);
        assertEquals(Reason.PROTOCOL_ERROR, recorder.awaitClose());
        assertEquals(1, recorder.frames.size(), "frames after the abort are not delivered");
        assertEquals(0, recorder.callbacksAfterClose());
    }

    private static void assertStillWorks(Socket socket, RecordingHandler serverSide)
            throws IOException {
        byte[] payload = "still here".getBytes(StandardCharsets.UTF_8);
        NioFixture.writeFrame(socket.getOutputStream(), payload);
        assertArrayEquals(payload, Await.next(serverSide.frames));
        Connection c = Await.result(serverSide.connection);
        assertTrue(c.isOpen());
        c.write(ByteBuffer.wrap(payload));
        byte[] back = socket.getInputStream().readNBytes(4 + payload.length);
        assertArrayEquals(NioFixture.frame(payload), back);
    }
}
