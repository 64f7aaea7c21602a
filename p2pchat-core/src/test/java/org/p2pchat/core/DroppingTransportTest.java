package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.FrameTooLargeException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.local.LocalTransportProvider;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.ConnectionHandler;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.RecordingHandler;

/** The frame-dropping test transport, driven through the SPI over the local transport. */
class DroppingTransportTest {
    private static final int MAX_FRAME_BYTES = 100;

    private final DroppingTransport faults = new DroppingTransport(new LocalTransportProvider());
    private final List<Transport> transports = new ArrayList<>();

    @AfterEach
    void closeTransports() {
        for (Transport t : transports) {
            t.close();
        }
    }

    private Transport transport() {
        Transport t = faults.create(TransportOptions.builder().maxFrameBytes(MAX_FRAME_BYTES)
                .name("dropping" + transports.size()).build());
        transports.add(t);
        return t;
    }

    /** A handler that notes the connection every callback names, then passes the call on. */
    private static final class Witness implements ConnectionHandler {
        final List<Connection> seen = new CopyOnWriteArrayList<>();
        final RecordingHandler recorder;

        Witness(RecordingHandler recorder) {
            this.recorder = recorder;
        }

        @Override
        public void onFrame(Connection c, ByteBuffer frame) {
            seen.add(c);
            recorder.onFrame(c, frame);
        }

        @Override
        public void onReadComplete(Connection c) {
            seen.add(c);
            recorder.onReadComplete(c);
        }

        @Override
        public void onClosed(Connection c, ConnectionClosedException reason) {
            seen.add(c);
            recorder.onClosed(c, reason);
        }
    }

    /** A listening transport's address and what it accepted, in order. */
    private record Server(PeerAddress address, BlockingQueue<Connection> connections,
            BlockingQueue<Witness> handlers) {
    }

    private Server listen(Function<Connection, RecordingHandler> handlers) {
        BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
        BlockingQueue<Witness> witnesses = new LinkedBlockingQueue<>();
        PeerAddress address = Await.result(transport().listen(PeerAddress.loopback(0), c -> {
            Witness w = new Witness(handlers.apply(c));
            connections.add(c);
            witnesses.add(w);
            return w;
        }));
        return new Server(address, connections, witnesses);
    }

    private static ByteBuffer frame(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer frame) {
        return StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void isNamedAfterTheTransportItWraps() {
        assertEquals("dropping-local", faults.name());
        assertTrue(faults.priority() < 0, "used only when passed in, never picked by default");
    }

    @Test
    void theNextMatchingWrittenFrameIsDroppedOnceAndLaterFramesPass() {
        Server server = listen(c -> RecordingHandler.recording());
        Connection c = Await.result(transport().connect(server.address(),
                RecordingHandler.recording()));
        faults.dropNextWrite(f -> text(f).equals("lost"));

        c.write(frame("first"));
        ByteBuffer lost = frame("lost");
        c.write(lost);
        c.write(frame("lost"));
        c.write(frame("last"));

        assertEquals(lost.limit(), lost.position(), "consumed as a written frame would be");
        RecordingHandler received = Await.next(server.handlers()).recorder;
        assertEquals("first", text(Await.next(received.frames)));
        assertEquals("lost", text(Await.next(received.frames)), "the rule was used up");
        assertEquals("last", text(Await.next(received.frames)));
        assertEquals(1, faults.dropped());
    }

    @Test
    void aDroppedSendReportsSuccessAtOnce() {
        Server server = listen(c -> RecordingHandler.recording());
        Connection c = Await.result(transport().connect(server.address(),
                RecordingHandler.recording()));
        faults.dropNextWrite(f -> true);

        CompletableFuture<Void> gone = c.send(frame("gone")).toCompletableFuture();
        assertTrue(gone.isDone() && !gone.isCompletedExceptionally(), "completed as if written");
        Await.result(c.send(frame("kept")));

        RecordingHandler received = Await.next(server.handlers()).recorder;
        assertEquals("kept", text(Await.next(received.frames)));
        assertEquals(1, faults.dropped());
    }

    @Test
    void framesTheAcceptingSideWritesCanBeDroppedToo() {
        Server server = listen(c -> RecordingHandler.echoing());
        RecordingHandler client = RecordingHandler.recording();
        Connection c = Await.result(transport().connect(server.address(), client));
        Connection accepted = Await.next(server.connections());
        faults.dropNextWrite(f -> text(f).equals("from the server"));

        Await.result(accepted.send(frame("from the server")));
        c.write(frame("echoed"));

        assertEquals("echoed", text(Await.next(client.frames)), "the server's frame never came");
        assertEquals(1, faults.dropped());
    }

    @Test
    void theAcceptorConnectAndEveryCallbackSeeTheWrappingConnections() {
        Server server = listen(c -> RecordingHandler.echoing());
        Witness client = new Witness(RecordingHandler.recording());
        Connection c = Await.result(transport().connect(server.address(), client));
        c.write(frame("ping"));
        assertEquals("ping", text(Await.next(client.recorder.frames)));
        c.close();
        client.recorder.awaitClose();
        Witness serverSide = Await.next(server.handlers());
        serverSide.recorder.awaitClose();

        Connection accepted = Await.next(server.connections());
        assertInstanceOf(DroppingConnection.class, c);
        assertInstanceOf(DroppingConnection.class, accepted);
        // onFrame, onReadComplete and onClosed at least
        assertTrue(client.seen.size() >= 3, "client callbacks: " + client.seen.size());
        assertTrue(serverSide.seen.size() >= 3, "server callbacks: " + serverSide.seen.size());
        client.seen.forEach(seen -> assertSame(c, seen));
        serverSide.seen.forEach(seen -> assertSame(accepted, seen));
    }

    @Test
    void framesTheInnerConnectionRefusesStillFailAndLeaveTheRuleArmed() {
        Server server = listen(c -> RecordingHandler.recording());
        Connection c = Await.result(transport().connect(server.address(),
                RecordingHandler.recording()));
        faults.dropNextWrite(f -> true);

        assertThrows(FrameTooLargeException.class,
                () -> c.write(ByteBuffer.allocate(MAX_FRAME_BYTES + 1)));
        assertEquals(0, faults.dropped());
        c.write(frame("dropped by the rule still armed"));
        c.write(frame("passes"));
        assertEquals("passes", text(Await.next(Await.next(server.handlers()).recorder.frames)));
        assertEquals(1, faults.dropped());

        faults.dropNextWrite(f -> true);
        c.close();
        assertThrows(ConnectionClosedException.class, () -> c.write(frame("late")));
        assertEquals(1, faults.dropped());
    }
}
