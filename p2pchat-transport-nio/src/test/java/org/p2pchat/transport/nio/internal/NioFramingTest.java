package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.spi.Connection;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/** Frames on a real byte stream, checked against a plain socket on the other end. */
class NioFramingTest {
    private final NioFixture fixture = new NioFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void aFrameWrittenOneByteAtATimeArrivesWhole() throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        byte[] payload = "one byte at a time".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        for (byte b : NioFixture.frame(payload)) {
            out.write(b);
            out.flush();
        }
        RecordingHandler h = Await.next(server.accepted);
        assertArrayEquals(payload, Await.next(h.frames));
        NioFixture.writeFrame(out, new byte[] {42});
        assertArrayEquals(new byte[] {42}, Await.next(h.frames));
        assertEquals(0, h.frames.size());
    }

    @Test
    void aThousandFramesInOneSocketWriteAllArriveInOrder() throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        Random random = new Random(1);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            byte[] payload = new byte[random.nextInt(200)];
            random.nextBytes(payload);
            sent.add(payload);
            all.write(NioFixture.frame(payload));
        }
        socket.getOutputStream().write(all.toByteArray());
        RecordingHandler h = Await.next(server.accepted);
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), Await.next(h.frames), "frame " + i);
        }
    }

    @Test
    void framesLargerThanAReadBufferAndSplitAtEveryBoundaryArriveWhole() throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        Random random = new Random(2);
        int[] sizes = {0, 1, ReadBufferPool.SIZE - 4, ReadBufferPool.SIZE - 3, ReadBufferPool.SIZE,
            3 * ReadBufferPool.SIZE + 17, 5, 1 << 20};
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<byte[]> sent = new ArrayList<>();
        for (int size : sizes) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            sent.add(payload);
            all.write(NioFixture.frame(payload));
        }
        byte[] stream = all.toByteArray();
        OutputStream out = socket.getOutputStream();
        for (int pos = 0; pos < stream.length; ) {
            int n = Math.min(stream.length - pos, 1 + random.nextInt(40_000));
            out.write(stream, pos, n);
            out.flush();
            pos += n;
        }
        RecordingHandler h = Await.next(server.accepted);
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), Await.next(h.frames), "frame of " + sizes[i] + " bytes");
        }
    }

    @Test
    void aZeroLengthPrefixIsAnEmptyFrame() throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        socket.getOutputStream().write(NioFixture.prefix(0));
        NioFixture.writeFrame(socket.getOutputStream(), new byte[] {7, 8});
        RecordingHandler h = Await.next(server.accepted);
        assertEquals(0, Await.next(h.frames).length);
        assertArrayEquals(new byte[] {7, 8}, Await.next(h.frames));
    }

    @Test
    void aClientClosingHalfwayThroughTheLengthPrefixIsARemoteCloseWithNothingDelivered()
            throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        socket.getOutputStream().write(new byte[] {0, 0});
        socket.close();
        RecordingHandler h = Await.next(server.accepted);
        assertEquals(Reason.REMOTE_CLOSE, h.awaitClose());
        assertEquals(0, h.frames.size());
        assertEquals(0, h.callbacksAfterClose());
    }

    @Test
    void aClientClosingHalfwayThroughThePayloadIsARemoteCloseWithNothingDelivered()
            throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        OutputStream out = socket.getOutputStream();
        NioFixture.writeFrame(out, new byte[] {1});
        out.write(NioFixture.prefix(100));
        out.write(new byte[50]);
        out.flush();
        RecordingHandler h = Await.next(server.accepted);
        assertArrayEquals(new byte[] {1}, Await.next(h.frames));
        socket.close();
        assertEquals(Reason.REMOTE_CLOSE, h.awaitClose());
        assertEquals(0, h.frames.size());
    }

    @Test
    void aClientClosingHalfwayThroughAFrameLargerThanAReadBufferIsARemoteClose()
            throws Exception {
        NioFixture.Server server = fixture.server(b -> { }, false);
        Socket socket = fixture.raw(server.address);
        OutputStream out = socket.getOutputStream();
        out.write(NioFixture.prefix(500_000));
        out.write(new byte[200_000]);
        out.flush();
        socket.close();
        RecordingHandler h = Await.next(server.accepted);
        assertEquals(Reason.REMOTE_CLOSE, h.awaitClose());
        assertEquals(0, h.frames.size());
    }

    @Test
    void framesWrittenByTheTransportAreALengthPrefixThenThePayload() throws Exception {
        NioTransport transport = fixture.transport();
        java.util.concurrent.BlockingQueue<Connection> accepted =
                new java.util.concurrent.LinkedBlockingQueue<>();
        var address = Await.result(transport.listen(org.p2pchat.api.PeerAddress.loopback(0), c -> {
            accepted.add(c);
            return RecordingHandler.recording();
        }));
        Socket socket = fixture.raw(address);
        Connection c = Await.next(accepted);
        Random random = new Random(3);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] payload = new byte[i % 100 == 0 ? 100_000 + i : random.nextInt(100)];
            random.nextBytes(payload);
            sent.add(payload);
            c.write(ByteBuffer.wrap(payload));
        }
        DataInputStream in = new DataInputStream(socket.getInputStream());
        for (int i = 0; i < sent.size(); i++) {
            int length = in.readInt();
            byte[] payload = new byte[length];
            in.readFully(payload);
            assertArrayEquals(sent.get(i), payload, "frame " + i + ": " + length + " bytes vs "
                    + sent.get(i).length + ", starts " + Arrays.toString(Arrays.copyOf(payload, 4)));
        }
    }

    @Test
    void closeWritesEverythingThenSendsFinAndGivesUpOnASilentRemoteAtTheCloseTimeout()
            throws Exception {
        NioTransport transport = fixture.transport(b -> b.closeTimeout(java.time.Duration.ofMillis(300)));
        RecordingHandler handler = RecordingHandler.recording();
        Socket socket = fixture.raw(listen(transport, handler));
        Connection c = Await.next(accepted);
        for (int i = 0; i < 100; i++) {
            c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        c.close();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        for (int i = 0; i < 100; i++) {
            assertEquals(1, in.readInt());
            assertEquals((byte) i, in.readByte());
        }
        assertEquals(-1, in.read(), "FIN follows the last frame");
        // The raw socket never closes its end: the transport stops waiting at the close timeout.
        assertEquals(Reason.LOCAL_CLOSE, handler.awaitClose());
    }

    @Test
    void aConnectionThatIdlesOutWhileClosingReportsItsClose() throws Exception {
        // The close timeout runs on the real clock, the idle timeout on the fixture's ticker.
        NioTransport transport = fixture.transport(b -> b
                .idleTimeout(java.time.Duration.ofSeconds(30))
                .closeTimeout(java.time.Duration.ofMillis(500)));
        RecordingHandler handler = RecordingHandler.recording();
        // It never reads nor closes, so the close has to drain.
        Socket socket = fixture.raw(listen(transport, handler));
        Connection c = Await.next(accepted);
        c.write(ByteBuffer.wrap(new byte[] {1}));
        c.close();
        fixture.ticker.advance(java.time.Duration.ofMinutes(1));
        assertEquals(Reason.LOCAL_CLOSE, handler.awaitClose(),
                "the close asked for, not an idle one");
        socket.close();
    }

    private final java.util.concurrent.BlockingQueue<Connection> accepted =
            new java.util.concurrent.LinkedBlockingQueue<>();

    /** Listens on {@code transport}; accepted connections go to {@link #accepted}. */
    private org.p2pchat.api.PeerAddress listen(NioTransport transport, RecordingHandler handler) {
        return Await.result(transport.listen(org.p2pchat.api.PeerAddress.loopback(0), c -> {
            accepted.add(c);
            return handler;
        }));
    }
}
