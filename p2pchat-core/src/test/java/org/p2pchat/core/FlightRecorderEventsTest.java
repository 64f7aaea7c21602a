package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.core.internal.local.LocalTransportProvider;
import org.p2pchat.testkit.Await;

/**
 * The Flight Recorder events of connections and deliveries, recorded with a {@link Recording}
 * around two peers over the in-JVM transport and read back from its file. The peers have names
 * no other test uses ({@code fran}, {@code gus}), since other tests' peers may still be closing
 * while this one records.
 */
class FlightRecorderEventsTest {
    private static final List<String> EVENTS = List.of("ConnectionOpened", "ConnectionClosed",
            "HandshakeCompleted", "HandshakeFailed", "Resend", "WindowStall");

    @TempDir
    Path dir;
    private final MutableDirectory directory = new MutableDirectory();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Recording recording = new Recording();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        recording.close();
    }

    private Peer peer(String name, MessageListener listener, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport("local")
                .listenOn(PeerAddress.loopback(0)).directory(directory).listener(listener)
                .reconnectDelay(Duration.ofMillis(5)).maxReconnectDelay(Duration.ofMillis(20))
                .maxHandshakeRetryDelay(Duration.ofMillis(20))).start();
        toClose.add(p);
        directory.put(name, p.listenAddress(), p.publicKey());
        return p;
    }

    /** Records every p2pchat event from now on, however short. */
    private void record() {
        for (String e : EVENTS) {
            recording.enable("org.p2pchat." + e).withThreshold(Duration.ZERO);
        }
        recording.start();
    }

    /** Stops recording and reads the p2pchat events back, in order. */
    private List<RecordedEvent> recorded() throws IOException {
        recording.stop();
        Path file = dir.resolve("p2pchat.jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("org.p2pchat."))
                .collect(Collectors.toList());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals("org.p2pchat." + name))
                .collect(Collectors.toList());
    }

    /** The events of one type about one peer, by its name. */
    private static List<RecordedEvent> about(List<RecordedEvent> events, String name, String peer) {
        return named(events, name).stream().filter(e -> peer.equals(e.getString("peer")))
                .collect(Collectors.toList());
    }

    private static RecordedEvent only(List<RecordedEvent> events, String what) {
        assertEquals(1, events.size(), what + ": " + events);
        return events.get(0);
    }

    @Test
    void aConnectionIsRecordedFromItsOpeningThroughItsHandshakeToItsClose() throws IOException {
        Peer gus = peer("gus", new Inbox(), b -> b);
        Peer fran = peer("fran", new Inbox(), b -> b);
        record();
        Await.result(fran.send("gus", "hi gus"));
        fran.close();
        Await.until("gus to see fran's connection close", () -> gus.stats().friend("fran")
                .orElseThrow().stats().connections().closedTotal() == 1);
        List<RecordedEvent> events = recorded();

        RecordedEvent franCalled = only(about(events, "HandshakeCompleted", "gus"),
                "fran's handshake with gus");
        assertTrue(franCalled.getBoolean("initiator"));
        assertEquals(gus.publicKey().fingerprint(), franCalled.getString("key"));
        assertFalse(franCalled.getDuration().isNegative() || franCalled.getDuration().isZero(),
                "it spans the handshake: " + franCalled);
        RecordedEvent gusAnswered = only(about(events, "HandshakeCompleted", "fran"),
                "gus's handshake with fran");
        assertFalse(gusAnswered.getBoolean("initiator"));
        assertEquals(fran.publicKey().fingerprint(), gusAnswered.getString("key"));

        for (RecordedEvent handshake : List.of(franCalled, gusAnswered)) {
            long id = handshake.getLong("connection");
            RecordedEvent opened = only(named(events, "ConnectionOpened").stream()
                    .filter(e -> e.getLong("connection") == id).collect(Collectors.toList()),
                    "the opening of connection " + id);
            assertEquals(handshake.getBoolean("initiator"), opened.getBoolean("initiator"));
            assertTrue(opened.getStartTime().compareTo(handshake.getEndTime()) <= 0);
        }
        RecordedEvent franClosed = only(about(events, "ConnectionClosed", "gus"), "fran's close");
        assertTrue(franClosed.getBoolean("authenticated"));
        assertEquals(franCalled.getLong("connection"), franClosed.getLong("connection"));
        RecordedEvent gusClosed = only(about(events, "ConnectionClosed", "fran"), "gus's close");
        assertEquals("REMOTE_CLOSE", gusClosed.getString("reason"));
        assertTrue(gusClosed.getDuration("lifetime").compareTo(Duration.ZERO) > 0, gusClosed.toString());
        assertTrue(about(events, "HandshakeFailed", "gus").isEmpty(), events.toString());
    }

    @Test
    void aRefusedKeyIsRecordedAsAFailedHandshakeOnBothSides() throws IOException {
        Peer gus = peer("gus", new Inbox(), b -> b);
        Peer fran = peer("fran", new Inbox(), b -> b);
        // Fran's table pins her own key for gus: she refuses the one he proves.
        directory.put("gus", gus.listenAddress(), fran.publicKey());
        record();
        assertInstanceOf(PeerIdentityException.class, Await.failure(fran.send("gus", "hi")));
        Await.until("gus to see the handshake fail", () -> gus.stats().handshakesFailed() == 1);
        List<RecordedEvent> events = recorded();

        RecordedEvent refused = only(about(events, "HandshakeFailed", "gus"), "fran's refusal");
        assertTrue(refused.getBoolean("initiator"));
        assertEquals("PROTOCOL_ERROR", refused.getString("reason"));
        assertTrue(refused.getString("message").contains("'gus' presented key "
                + gus.publicKey().fingerprint() + " but the key pinned in the user_info table is "
                + fran.publicKey().fingerprint()), refused.getString("message"));
        long id = refused.getLong("connection");
        RecordedEvent closed = only(named(events, "ConnectionClosed").stream()
                .filter(e -> e.getLong("connection") == id).collect(Collectors.toList()),
                "the close of connection " + id);
        assertFalse(closed.getBoolean("authenticated"));
        // Gus never learnt who called: his side names no peer, and stopped after message 2.
        RecordedEvent cutShort = only(named(events, "HandshakeFailed").stream()
                .filter(e -> !e.getBoolean("initiator") && e.getString("peer") == null
                        && "AWAIT_HANDSHAKE_3".equals(e.getString("step")))
                .collect(Collectors.toList()), "gus's side");
        assertTrue(named(events, "HandshakeCompleted").stream()
                .noneMatch(e -> Objects.equals(e.getString("peer"), "gus")
                        || Objects.equals(e.getString("peer"), "fran")), cutShort.toString());
    }

    @Test
    void messagesSentAgainAfterACutAreOneResendEvent() throws IOException {
        DroppingTransport lossy = new DroppingTransport(new LocalTransportProvider());
        CuttableTransport cuttable = new CuttableTransport(lossy);
        Inbox gusInbox = new Inbox();
        peer("gus", gusInbox, b -> b);
        Peer fran = peer("fran", new Inbox(), b -> b.transport(cuttable));
        record();
        lossy.dropNextWrite(f -> f.remaining() > 400);
        CompletableFuture<Void> sent = fran.send("gus", "lost once " + "x".repeat(400))
                .toCompletableFuture();
        Await.until("its DATA frame to be lost", () -> lossy.dropped() == 1);
        cuttable.cutAll();
        Await.result(sent);
        gusInbox.next();
        List<RecordedEvent> events = recorded();

        RecordedEvent resend = only(about(events, "Resend", "gus"), "fran's resend");
        assertEquals(1, resend.getLong("messages"));
        assertTrue(about(events, "HandshakeCompleted", "gus").stream()
                .anyMatch(h -> h.getLong("connection") == resend.getLong("connection")),
                "it went out on the new connection: " + events);
        assertEquals("IO_ERROR", only(about(events, "ConnectionClosed", "gus"), "the cut")
                .getString("reason"));
    }

    @Test
    void aSenderHeldBackByAFullWindowRecordsAStallAsLongAsTheWait() throws IOException {
        Queue<Runnable> held = new ConcurrentLinkedQueue<>();
        Inbox gusInbox = new Inbox();
        peer("gus", gusInbox, b -> b.maxFrameBytes(1024).receiveWindowBytes(2048)
                .callbackExecutor(held::add));
        Peer fran = peer("fran", new Inbox(), b -> b);
        record();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(fran.send("gus", "z".repeat(500)).toCompletableFuture());
        }
        Await.until("gus to take the three his window holds", () -> fran.stats().friend("gus")
                .orElseThrow().stats().messages().acknowledged() == 3);
        Await.until("gus's listener to catch up", () -> {
            for (Runnable r = held.poll(); r != null; r = held.poll()) {
                r.run();
            }
            return gusInbox.messages.size() == 10;
        });
        for (CompletableFuture<Void> f : sent) {
            Await.result(f);
        }
        List<RecordedEvent> events = recorded();

        List<RecordedEvent> stalls = about(events, "WindowStall", "gus");
        assertFalse(stalls.isEmpty(), events.toString());
        long stalledNanos = fran.stats().friend("gus").orElseThrow().stats().window().stalledTime()
                .toNanos();
        for (RecordedEvent stall : stalls) {
            assertTrue(stall.getLong("window") <= 2048 && stall.getLong("waiting") >= 1,
                    stall.toString());
        }
        assertTrue(stalls.get(0).getDuration().toNanos() > 0
                && stalls.get(0).getDuration().toNanos() <= 2 * stalledNanos,
                "the first lasts, give or take the clocks, no longer than the counters say: "
                        + stalls.get(0) + ", " + stalledNanos + " ns in all");
    }
}
