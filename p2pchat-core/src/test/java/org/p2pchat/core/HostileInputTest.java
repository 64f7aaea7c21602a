package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.testkit.Await;

/**
 * Hostile input against a running {@code nio} peer, bob, from raw sockets on 127.0.0.1: each bad
 * connection is closed by bob, and meanwhile alice and bob, who were talking before the attack,
 * keep talking on the same connection with no message lost or reordered.
 *
 * <p>Unless a test is about the handshake timeout, bob's is {@link #LONG_HANDSHAKE_TIMEOUT}, far
 * longer than {@link #PROMPTLY}: a close within that time comes from the framing or the handshake
 * check, not from the timer.
 */
class HostileInputTest {
    /** bob's largest frame, set explicitly (it is also the default). */
    private static final int MAX_FRAME = 1 << 20;
    /** The largest frame bob accepts from a connection before its handshake is done. */
    private static final int HANDSHAKE_MAX_FRAME = 1024;
    private static final Duration LONG_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHORT_HANDSHAKE_TIMEOUT = Duration.ofMillis(300);
    /** How long a bad connection may stay open when it should be closed at once. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final int FLOOD = 1_000;
    private static final int FLOOD_MESSAGES = 1_000;

    private final MutableDirectory directory = new MutableDirectory();
    private final List<AutoCloseable> peers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final Inbox aliceInbox = new Inbox();
    private final Inbox bobInbox = new Inbox();
    private Peer alice;
    private Peer bob;
    /** Sequence numbers of the next message each good peer sends. */
    private int fromAlice;
    private int fromBob;

    @AfterEach
    void closeAll() throws Exception {
        Exception first = null;
        for (List<AutoCloseable> group : List.of(clients, peers)) {
            for (AutoCloseable c : group) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            group.clear();
        }
        if (first != null) {
            throw first;
        }
    }

    /** Starts bob and alice over nio and has them talk both ways, so the connection is open. */
    private void startPair(UnaryOperator<PeerBuilder> bobTweak) {
        bob = peer("bob", bobInbox, bobTweak);
        alice = peer("alice", aliceInbox, b -> b);
        // Introductions one way first: if both opened at the same instant, each would keep its own.
        Await.result(alice.send("bob", "hello"));
        assertEquals("hello", bobInbox.next().text());
        goodPeersKeepTalking(1);
        assertEquals(ConnectionState.CONNECTED, alice.connectionState("bob"));
    }

    private void startPair(Duration bobHandshakeTimeout) {
        startPair(b -> b.handshakeTimeout(bobHandshakeTimeout));
    }

    private Peer peer(String name, Inbox inbox, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport("nio")
                .listenOn(PeerAddress.loopback(0)).maxFrameBytes(MAX_FRAME)
                .directory(directory).listener(inbox)).start();
        peers.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    /**
     * Sends {@code n} numbered messages each way and checks that all arrive, in order, on the
     * one connection alice opened at the start (none was lost to a reconnect).
     */
    private void goodPeersKeepTalking(int n) {
        List<CompletionStage<Void>> sends = new ArrayList<>(2 * n);
        int a = fromAlice;
        int b = fromBob;
        for (int i = 0; i < n; i++) {
            sends.add(alice.send("bob", "a" + fromAlice++));
            sends.add(bob.send("alice", "b" + fromBob++));
        }
        sends.forEach(Await::result);
        expectInOrder(bobInbox, "alice", "a", a, n);
        expectInOrder(aliceInbox, "bob", "b", b, n);
        assertEquals(1, ((ChatNode) alice).probe().openConnections("bob"),
                "alice's one connection to bob");
    }

    private static void expectInOrder(Inbox inbox, String from, String prefix, int first, int n) {
        for (int i = first; i < first + n; i++) {
            var m = inbox.next();
            assertEquals(from, m.from());
            assertEquals(prefix + i, m.text(), "lost or reordered");
        }
    }

    private InetSocketAddress bobAddress() {
        return bob.listenAddress().toSocketAddress();
    }

    private Socket rawClient() throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.connect(bobAddress(), (int) PROMPTLY.toMillis());
        return s;
    }

    /** Writes bytes; bob may already have closed, which the next read reports. */
    private static void write(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
        } catch (IOException e) {
            // closed or reset by bob already (broken pipe): assertClosedByPeer sees it too
        }
    }

    private static byte[] prefix(int length) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(length).array();
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(Integer.BYTES + payload.length).putInt(payload.length)
                .put(payload).array();
    }

    /**
     * Reads (and drops) what bob sends until bob closes the connection: end of stream or a
     * reset. Fails if it is still open {@code within} after {@code since}.
     *
     * @return how long after {@code since} it closed, in nanoseconds
     */
    private static long assertClosedByPeer(Socket s, long since, Duration within) throws IOException {
        long deadline = since + within.toNanos();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("bob did not close the connection within " + within);
            }
            s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            try {
                if (in.read(buffer) < 0) {
                    return System.nanoTime() - since;
                }
            } catch (SocketTimeoutException e) {
                fail("bob did not close the connection within " + within);
            } catch (SocketException e) {
                return System.nanoTime() - since; // reset: closed with our bytes unread
            }
        }
    }

    private void sendAndExpectPromptClose(byte[] bytes) throws IOException {
        Socket s = rawClient();
        long start = System.nanoTime();
        write(s, bytes);
        assertClosedByPeer(s, start, PROMPTLY);
    }

    // ---- garbage first bytes ------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void randomFirstBytesCloseTheConnection(long seed) throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        byte[] garbage = new byte[1024];
        new Random(seed).nextBytes(garbage);
        sendAndExpectPromptClose(garbage);
        goodPeersKeepTalking(20);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n",
        "SSH-2.0-OpenSSH_9.6\r\n",
        "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003"})
    void anotherProtocolsFirstBytesCloseTheConnection(String greeting) throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        sendAndExpectPromptClose(greeting.getBytes(StandardCharsets.ISO_8859_1));
        goodPeersKeepTalking(20);
    }

    // ---- length prefixes ----------------------------------------------------------------------

    @ParameterizedTest(name = "length prefix {0}")
    @ValueSource(ints = {0, HANDSHAKE_MAX_FRAME + 1, MAX_FRAME + 1, 0x80000000, 0xFFFFFFFF,
        Integer.MAX_VALUE})
    void aBadLengthPrefixClosesTheConnection(int length) throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        // 0 is an empty frame, too short for handshake message 1; the others are over the
        // handshake's maximum or negative, refused before anything is allocated for them.
        byte[] bytes = ByteBuffer.allocate(Integer.BYTES + 64).putInt(length).array();
        sendAndExpectPromptClose(bytes);
        goodPeersKeepTalking(20);
    }

    /**
     * Before its handshake a stranger may announce no more than {@link #HANDSHAKE_MAX_FRAME}
     * bytes, though bob's maximum is {@link #MAX_FRAME}: a 100,000-byte prefix alone, its payload
     * never sent, is closed at once (long before the handshake timeout), so nothing of that size
     * is allocated for it. Friends then still exchange 100 KB messages, starting right after the
     * handshake of a new connection.
     */
    @Test
    void aLargeFrameBeforeTheHandshakeClosesAtOnceButFriendsStillSendLargeMessages()
            throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        Socket s = rawClient();
        long start = System.nanoTime();
        write(s, prefix(100_000));
        assertClosedByPeer(s, start, PROMPTLY);
        goodPeersKeepTalking(20);

        String big = "x".repeat(100_000);
        Await.result(alice.send("bob", big + "a"));
        assertEquals(big + "a", bobInbox.next().text());
        Await.result(bob.send("alice", big + "b"));
        assertEquals(big + "b", aliceInbox.next().text());

        // A new connection whose very first sealed frames are large, both ways.
        Inbox carolInbox = new Inbox();
        Peer carol = peer("carol", carolInbox, c -> c);
        Await.result(carol.send("bob", big + "c"));
        var m = bobInbox.next();
        assertEquals("carol", m.from());
        assertEquals(big + "c", m.text());
        Await.result(bob.send("carol", big + "d"));
        assertEquals(big + "d", carolInbox.next().text());
        goodPeersKeepTalking(20);
    }

    @Test
    void severalBadPrefixesOnOneStreamAfterAnEmptyFrameAreNeverRead() throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        ByteBuffer b = ByteBuffer.allocate(16).putInt(0).putInt(-1).putInt(Integer.MAX_VALUE)
                .putInt(MAX_FRAME + 1);
        sendAndExpectPromptClose(b.array());
        goodPeersKeepTalking(20);
    }

    // ---- bogus handshakes ---------------------------------------------------------------------

    @Test
    void aRandomEphemeralKeyGetsAnAnswerButJunkAsMessageThreeClosesTheConnection()
            throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        Random random = new Random(7);
        byte[] ephemeral = new byte[32];
        random.nextBytes(ephemeral);
        Socket s = rawClient();
        s.setSoTimeout((int) PROMPTLY.toMillis());
        write(s, frame(ephemeral));

        DataInputStream in = new DataInputStream(s.getInputStream());
        int length = in.readInt();
        // e (32) + encrypted s (32 + 16) + encrypted HELLO (+ 16)
        assertTrue(length > 32 + 48 + 16 && length < 32 + 48 + 16 + 600, "message 2 of " + length);
        byte[] message2 = new byte[length];
        in.readFully(message2);
        String seen = new String(message2, StandardCharsets.ISO_8859_1);
        assertFalse(seen.contains("bob"), "bob's name in the clear in handshake message 2");

        byte[] junk = new byte[32 + 48 + 40];
        random.nextBytes(junk);
        long start = System.nanoTime();
        write(s, frame(junk));
        assertClosedByPeer(s, start, PROMPTLY);
        assertTrue(bobInbox.messages.isEmpty());
        goodPeersKeepTalking(20);
    }

    @ParameterizedTest(name = "u = {0}")
    @ValueSource(strings = {
        // RFC 7748 points of small order and their non-canonical encodings (u + p)
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"})
    void aLowOrderEphemeralKeyIsRefusedWithoutAnAnswer(String u) throws IOException {
        startPair(LONG_HANDSHAKE_TIMEOUT);
        Socket s = rawClient();
        long start = System.nanoTime();
        write(s, frame(HexFormat.of().parseHex(u)));
        InputStream in = s.getInputStream();
        s.setSoTimeout((int) PROMPTLY.toMillis());
        try {
            assertEquals(-1, in.read(), "bob answered a low-order key with handshake message 2");
        } catch (SocketException reset) {
            // closed: fine
        } catch (SocketTimeoutException e) {
            fail("bob did not close the connection within " + PROMPTLY);
        }
        assertTrue(System.nanoTime() - start < PROMPTLY.toNanos());
        goodPeersKeepTalking(20);
    }

    // ---- the handshake timeout ----------------------------------------------------------------

    @Test
    void aClientThatSendsNothingIsClosedAtTheHandshakeTimeout() throws IOException {
        startPair(SHORT_HANDSHAKE_TIMEOUT);
        long start = System.nanoTime();
        Socket s = rawClient();
        long after = assertClosedByPeer(s, start, PROMPTLY);
        assertTrue(after >= SHORT_HANDSHAKE_TIMEOUT.toNanos() - TimeUnit.MILLISECONDS.toNanos(50),
                "closed after " + after / 1_000_000 + " ms, before the handshake timeout");
        goodPeersKeepTalking(20);
    }

    @Test
    void aClientThatAnnouncesAFrameOfTheHandshakeMaximumAndTricklesIsClosedAtTheHandshakeTimeout()
            throws IOException {
        startPair(SHORT_HANDSHAKE_TIMEOUT);
        long start = System.nanoTime();
        Socket s = rawClient();
        // Exactly the handshake's maximum passes the framing check; only the timer ends it.
        write(s, ByteBuffer.allocate(Integer.BYTES + 10).putInt(HANDSHAKE_MAX_FRAME).array());
        long after = assertClosedByPeer(s, start, PROMPTLY);
        assertTrue(after >= SHORT_HANDSHAKE_TIMEOUT.toNanos() - TimeUnit.MILLISECONDS.toNanos(50),
                "closed after " + after / 1_000_000 + " ms, before the handshake timeout");
        goodPeersKeepTalking(20);
    }

    @Test
    void aClientThatStopsAfterMessageTwoIsClosedAtTheHandshakeTimeout() throws IOException {
        startPair(SHORT_HANDSHAKE_TIMEOUT);
        byte[] ephemeral = new byte[32];
        new Random(11).nextBytes(ephemeral);
        long start = System.nanoTime();
        Socket s = rawClient();
        write(s, frame(ephemeral));
        long after = assertClosedByPeer(s, start, PROMPTLY); // reads message 2 on the way
        assertTrue(after >= SHORT_HANDSHAKE_TIMEOUT.toNanos() - TimeUnit.MILLISECONDS.toNanos(50),
                "closed after " + after / 1_000_000 + " ms, before the handshake timeout");
        goodPeersKeepTalking(20);
    }

    // ---- a flood ------------------------------------------------------------------------------

    /**
     * 1,000 silent connections opened at once (non-blocking) while alice and bob exchange 1,000
     * messages each way. bob (64 connections, 32 handshakes at most) closes the excess at once
     * and the rest at its handshake timeout; no message is lost or reordered, and bob still takes
     * a new friend afterwards (no handshake slot leaked).
     *
     * <p>A flood overflows the listen backlog: the kernel then completes some handshakes with SYN
     * cookies and drops the final ACK, so the client sees a connection that bob's process never
     * accepted and knows nothing of. Those only reach bob when they send something; so once the
     * closes stop, each connection still open sends one byte (an incomplete length prefix, which
     * only the handshake timer can end) and must then be closed too. A connection bob had
     * accepted and forgotten to time out would stay open and fail the test.
     */
    @Test
    void aThousandSilentConnectionsAtOnceHurtNoConversation() throws IOException {
        startPair(SHORT_HANDSHAKE_TIMEOUT);
        Selector selector = Selector.open();
        clients.add(selector);
        InetSocketAddress target = bobAddress();
        List<CompletionStage<Void>> sends = new ArrayList<>(2 * FLOOD_MESSAGES);
        int a = fromAlice;
        int b = fromBob;
        Flood flood = new Flood(selector);
        for (int i = 0; i < Math.max(FLOOD, FLOOD_MESSAGES); i++) {
            if (i < FLOOD) {
                SocketChannel c = SocketChannel.open();
                clients.add(c);
                c.configureBlocking(false);
                try {
                    boolean connected = c.connect(target);
                    c.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
                } catch (IOException refused) {
                    c.close();
                    flood.closed++;
                }
            }
            if (i < FLOOD_MESSAGES) {
                sends.add(alice.send("bob", "a" + fromAlice++));
                sends.add(bob.send("alice", "b" + fromBob++));
            }
        }
        // Silent: until every one is closed, or none has been for 1.2 s (longer than the
        // kernel's first SYN retransmission, 1 s, and four handshake timeouts), or 3 s.
        long quiet = TimeUnit.MILLISECONDS.toNanos(1200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (flood.closed < FLOOD && System.nanoTime() - flood.lastClose < quiet
                && System.nanoTime() < deadline) {
            flood.poll();
        }
        int closedWhileSilent = flood.closed;
        // More than bob could ever hold at once (64 connections): it closed them by itself.
        assertTrue(closedWhileSilent > 64, "only " + closedWhileSilent + " of " + FLOOD
                + " silent connections were closed");
        flood.pokeAll();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (flood.closed < FLOOD) {
            if (System.nanoTime() > deadline) {
                fail("bob closed " + closedWhileSilent + " of " + FLOOD + " silent connections, then "
                        + (flood.closed - closedWhileSilent) + " of the " + flood.poked + " it learnt"
                        + " of later; " + (FLOOD - flood.closed) + " are still open");
            }
            flood.poll();
        }

        sends.forEach(Await::result);
        expectInOrder(bobInbox, "alice", "a", a, FLOOD_MESSAGES);
        expectInOrder(aliceInbox, "bob", "b", b, FLOOD_MESSAGES);
        assertEquals(1, ((ChatNode) alice).probe().openConnections("bob"),
                "alice's one connection to bob");
        goodPeersKeepTalking(20);

        Inbox carolInbox = new Inbox();
        Peer carol = peer("carol", carolInbox, c -> c);
        Await.result(carol.send("bob", "still there?"));
        var m = bobInbox.next();
        assertEquals("carol", m.from());
        assertEquals("still there?", m.text());
    }

    /**
     * The client side of the flood: completes connects, counts the connections bob closed, and
     * once asked to, pokes each connected one with a single byte.
     */
    private static final class Flood {
        private static final ByteBuffer POKE = ByteBuffer.wrap(new byte[] {0});
        private final Selector selector;
        private final ByteBuffer sink = ByteBuffer.allocate(256);
        private boolean poking;
        int closed;
        int poked;
        long lastClose = System.nanoTime();

        Flood(Selector selector) {
            this.selector = selector;
        }

        void pokeAll() throws IOException {
            poking = true;
            for (SelectionKey key : selector.keys()) {
                if (key.isValid() && ((SocketChannel) key.channel()).isConnected()) {
                    poke(key);
                }
            }
        }

        private void poke(SelectionKey key) throws IOException {
            try {
                ((SocketChannel) key.channel()).write(POKE.clear());
                poked++;
            } catch (IOException reset) {
                closedByBob(key);
            }
        }

        void poll() throws IOException {
            selector.select(50);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel c = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        if (c.finishConnect()) {
                            key.interestOps(SelectionKey.OP_READ);
                            if (poking) {
                                poke(key);
                            }
                        }
                    } else if (key.isReadable()) {
                        sink.clear();
                        int n = c.read(sink);
                        assertTrue(n <= 0, "bob sent " + n + " bytes to a silent client");
                        if (n < 0) {
                            closedByBob(key);
                        }
                    }
                } catch (IOException resetOrRefused) {
                    closedByBob(key);
                }
            }
            selector.selectedKeys().clear();
        }

        private void closedByBob(SelectionKey key) throws IOException {
            if (key.isValid()) {
                key.cancel();
                key.channel().close();
                closed++;
                lastClose = System.nanoTime();
            }
        }
    }
}
