package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.core.internal.node.Settings;
import org.p2pchat.spi.Connection;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.ManualTicker;
import org.p2pchat.testkit.RecordingHandler;

/** Direct messages between peers, run once per transport by its subclasses. */
abstract class DirectMessagesContract {
    protected final MutableDirectory directory = new MutableDirectory();
    protected final ManualTicker ticker = new ManualTicker();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** The transport's provider name. */
    protected abstract String transportName();

    /** An address nothing listens on. */
    protected abstract PeerAddress deadAddress() throws Exception;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    protected Peer peer(String name, MessageListener listener) {
        return peer(name, listener, b -> b);
    }

    protected Peer peer(String name, MessageListener listener, UnaryOperator<PeerBuilder> tweak) {
        Peer p = tweak.apply(P2pChat.builder(name).transport(transportName())
                .listenOn(PeerAddress.loopback(0)).directory(directory).listener(listener)
                .ticker(ticker)).start();
        toClose.add(p);
        directory.put(name, p.listenAddress());
        return p;
    }

    private static void await(CompletionStage<Void> sent) {
        Await.result(sent);
    }

    @Test
    void twoPeersExchangeMessagesBothWays() {
        Inbox aliceInbox = new Inbox();
        Inbox bobInbox = new Inbox();
        Peer alice = peer("alice", aliceInbox);
        Peer bob = peer("bob", bobInbox);

        await(alice.send("bob", "hi bob"));
        ChatMessage got = bobInbox.next();
        assertEquals("alice", got.from());
        assertEquals("hi bob", got.text());
        await(bob.send("alice", "hi alice, ünïcödé ✓ and 😀"));
        assertEquals("hi alice, ünïcödé ✓ and 😀", aliceInbox.next().text());
        await(alice.send("bob", ""));
        assertEquals("", bobInbox.next().text());
    }

    @Test
    void listenersOnTheNetworkThreadMaySendRepliesAndKeepEachSendersOrder() {
        int count = 500;
        List<String> bobThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        Peer[] bob = new Peer[1];
        MessageListener echo = m -> {
            bobThreads.add(Thread.currentThread().getName());
            // Sent from inside the listener, on the thread that read the frame.
            bob[0].send(m.from(), "re: " + m.text());
        };
        Inbox aliceInbox = new Inbox();
        Peer alice = peer("alice", aliceInbox, b -> b.callbacksOnNetworkThread(true));
        bob[0] = peer("bob", echo, b -> b.callbacksOnNetworkThread(true));
        // The first contact's trust decision runs on the callback thread; by the first reply it
        // has, and nothing else is left for that thread.
        await(alice.send("bob", "hello"));
        assertEquals("re: hello", aliceInbox.next().text());
        bobThreads.clear();
        List<CompletionStage<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(alice.send("bob", "m" + i));
        }
        for (int i = 0; i < count; i++) {
            assertEquals("re: m" + i, aliceInbox.next().text());
        }
        sent.forEach(DirectMessagesContract::await);
        assertEquals(count, bobThreads.size());
        assertTrue(bobThreads.stream().noneMatch(t -> t.contains("callbacks")),
                "not on the callback thread: " + bobThreads.get(0));
    }

    @Test
    void fivePeersExchangeMessagesEveryOneWithEveryOtherInOrder() {
        String[] names = {"alice", "bob", "carol", "dave", "eve"};
        Map<String, Inbox> inboxes = new HashMap<>();
        Map<String, Peer> peers = new HashMap<>();
        for (String n : names) {
            inboxes.put(n, new Inbox());
            peers.put(n, peer(n, inboxes.get(n)));
        }
        // Introductions one pair at a time: when two friends both open a connection at the
        // same instant, each keeps its own (see README, Guarantees).
        for (int i = 0; i < names.length; i++) {
            for (int j = i + 1; j < names.length; j++) {
                await(peers.get(names[i]).send(names[j], "hello"));
                assertEquals("hello", inboxes.get(names[j]).next().text());
            }
        }
        int perPair = 50;
        List<CompletionStage<Void>> sends = new ArrayList<>();
        for (int i = 0; i < perPair; i++) {
            for (String from : names) {
                for (String to : names) {
                    if (!from.equals(to)) {
                        sends.add(peers.get(from).send(to, from + ">" + to + "#" + i));
                    }
                }
            }
        }
        sends.forEach(DirectMessagesContract::await);
        for (String to : names) {
            Map<String, Integer> nextFrom = new HashMap<>();
            for (int k = 0; k < perPair * (names.length - 1); k++) {
                ChatMessage m = inboxes.get(to).next();
                int expected = nextFrom.merge(m.from(), 1, Integer::sum) - 1;
                assertEquals(m.from() + ">" + to + "#" + expected, m.text());
            }
            for (String from : names) {
                if (!from.equals(to)) {
                    assertEquals(1, ((ChatNode) peers.get(from)).probe().openConnections(to),
                            from + " keeps one connection to " + to);
                }
            }
        }
    }

    @Test
    void aConnectionIsOpenedOnTheFirstMessageAndReusedByBothFriends() {
        Inbox aliceInbox = new Inbox();
        Inbox bobInbox = new Inbox();
        ChatNode alice = (ChatNode) peer("alice", aliceInbox);
        ChatNode bob = (ChatNode) peer("bob", bobInbox);
        assertEquals(ConnectionState.DISCONNECTED, alice.connectionState("bob"));
        assertEquals(0, alice.probe().openConnections("bob"));

        for (int i = 0; i < 100; i++) {
            alice.send("bob", "ping " + i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("ping " + i, bobInbox.next().text());
        }
        for (int i = 0; i < 100; i++) {
            bob.send("alice", "pong " + i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("pong " + i, aliceInbox.next().text());
        }
        assertEquals(ConnectionState.CONNECTED, alice.connectionState("bob"));
        assertEquals(ConnectionState.CONNECTED, bob.connectionState("alice"));
        assertEquals(1, alice.probe().openConnections("bob"),
                "one connection, not one per message");
        assertEquals(1, bob.probe().openConnections("alice"), "bob answers on alice's connection");
    }

    @Test
    void afterAnIdleCloseTheNextMessageOpensANewConnection() {
        Inbox bobInbox = new Inbox();
        ChatNode alice = (ChatNode) peer("alice", m -> { },
                b -> b.idleTimeout(Duration.ofMinutes(1)));
        peer("bob", bobInbox, b -> b.idleTimeout(Duration.ZERO));
        await(alice.send("bob", "before"));
        assertEquals("before", bobInbox.next().text());
        assertEquals(ConnectionState.CONNECTED, alice.connectionState("bob"));

        ticker.advance(Duration.ofMinutes(2));
        Await.until("alice's idle connection to bob closes",
                () -> alice.connectionState("bob") == ConnectionState.DISCONNECTED);

        await(alice.send("bob", "after"));
        assertEquals("after", bobInbox.next().text());
        assertEquals(ConnectionState.CONNECTED, alice.connectionState("bob"));
        assertEquals(1, alice.probe().openConnections("bob"));
    }

    @Test
    void sendingToANameNotInTheDirectoryFailsWithUnknownPeer() {
        Peer alice = peer("alice", m -> { });
        Throwable e = Await.failure(alice.send("mallory", "hi"));
        assertInstanceOf(UnknownPeerException.class, e);
        assertEquals("mallory", ((UnknownPeerException) e).peerName());
    }

    private static UnaryOperator<PeerBuilder> quickRetries() {
        return b -> b.reconnectDelay(Duration.ofMillis(5)).maxReconnectDelay(Duration.ofMillis(20))
                .maxHandshakeRetryDelay(Duration.ofMillis(20));
    }

    @Test
    void aMessageToAnOfflineFriendIsRetriedUntilTheDeliveryTimeoutThenFailsUntransmitted()
            throws Exception {
        Peer alice = peer("alice", m -> { }, quickRetries());
        directory.put("bob", deadAddress());
        CompletableFuture<Void> sent = alice.send("bob", "are you there?").toCompletableFuture();
        assertFalse(sent.isDone(), "waits for bob instead of failing at once");
        Await.until("the failed attempt explains the wait",
                () -> alice.connectionFailure("bob").isPresent());
        ticker.advance(Settings.DEFAULT_DELIVERY_TIMEOUT);
        Throwable e = Await.failure(sent);
        DeliveryTimeoutException timeout = assertInstanceOf(DeliveryTimeoutException.class, e);
        assertInstanceOf(PeerUnreachableException.class, e, "a kind of unreachable peer");
        assertFalse(timeout.transmitted(), "it never left alice");
        assertTrue(e.getMessage().startsWith("no acknowledgement from bob within PT30S"
                + " (p2pchat.deliveryTimeout); last failure: "), e.getMessage());
        assertInstanceOf(P2pChatException.class, e.getCause(), "the last connect failure");
    }

    @Test
    void messagesSentWhileAFriendIsOfflineAreDeliveredOnceItComesOnline() throws Exception {
        Peer alice = peer("alice", m -> { }, quickRetries());
        PeerAddress bobsAddress = deadAddress();
        directory.put("bob", bobsAddress);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(alice.send("bob", "queued " + i).toCompletableFuture());
        }
        assertEquals(ConnectionState.CONNECTING, alice.connectionState("bob"), "still trying");
        Inbox bobInbox = new Inbox();
        Peer bob = P2pChat.builder("bob").transport(transportName()).listenOn(bobsAddress)
                .directory(directory).listener(bobInbox).ticker(ticker).start();
        toClose.add(bob);
        for (int i = 0; i < 3; i++) {
            Await.result(sent.get(i));
            assertEquals("queued " + i, bobInbox.next().text());
        }
        assertEquals(0, ((ChatNode) alice).probe().outboxBytes("bob"));
        assertEquals(Optional.empty(), alice.connectionFailure("bob"), "nothing waits any more");
    }

    @Test
    void aMessageTooLargeForAFrameIsRefusedBeforeSending() {
        // A 200-byte frame holds the 16-byte tag, at most 19 bytes of DATA header, at most 5 of
        // length prefix, the message's kind, and 159 bytes of text.
        assertEquals(159, ChatNode.maxTextBytes(200));
        Inbox bobInbox = new Inbox();
        Peer alice = peer("alice", m -> { }, b -> b.maxFrameBytes(200));
        peer("bob", bobInbox);
        assertInstanceOf(MessageTooLargeException.class,
                Await.failure(alice.send("bob", "x".repeat(160))));
        assertInstanceOf(MessageTooLargeException.class,
                Await.failure(alice.send("bob", "é".repeat(80))));
        await(alice.send("bob", "x".repeat(159)));
        assertEquals(159, bobInbox.next().text().length());
        await(alice.send("bob", "é".repeat(79)));
        assertEquals(79, bobInbox.next().text().length());
    }

    @Test
    void aListenerThatThrowsKeepsReceiving() {
        Inbox inbox = new Inbox();
        Peer alice = peer("alice", m -> { });
        peer("bob", m -> {
            inbox.onMessage(m);
            throw new IllegalStateException("listener bug");
        });
        await(alice.send("bob", "one"));
        await(alice.send("bob", "two"));
        assertEquals("one", inbox.next().text());
        assertEquals("two", inbox.next().text());
    }

    @Test
    void callbacksOnAPoolRunOneAtATimeInArrivalOrder() {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        toClose.add(pool::shutdownNow);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Inbox inbox = new Inbox();
        Peer alice = peer("alice", m -> { });
        peer("bob", m -> {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            inbox.onMessage(m);
            running.decrementAndGet();
        }, b -> b.callbackExecutor(pool));
        for (int i = 0; i < 2000; i++) {
            alice.send("bob", Integer.toString(i));
        }
        for (int i = 0; i < 2000; i++) {
            assertEquals(Integer.toString(i), inbox.next().text());
        }
        assertEquals(0, overlaps.get());
    }

    @Test
    void messagesTheCallbackExecutorRejectsAtFirstReachTheListenerOnceInOrder() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicInteger rejectionsLeft = new AtomicInteger(3);
        Executor rejectingAtFirst = task -> {
            if (rejectionsLeft.getAndDecrement() > 0) {
                throw new RejectedExecutionException("busy (test)");
            }
            pool.execute(task);
        };
        Inbox inbox = new Inbox();
        Peer alice = peer("alice", m -> { });
        ChatNode bob = (ChatNode) peer("bob", inbox, b -> b.callbackExecutor(rejectingAtFirst));
        toClose.add(pool::shutdownNow);
        for (int i = 0; i < 100; i++) {
            alice.send("bob", Integer.toString(i));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(Integer.toString(i), inbox.next().text());
        }
        assertTrue(rejectionsLeft.get() < 0, "the executor rejected work before accepting it");
        // Acknowledged messages were counted against alice's window: all of it must come back.
        Await.until("bob's backlog to empty", () -> bob.probe().backlogBytes("alice") == 0);
        await(alice.send("bob", "end"));
        assertEquals("end", inbox.next().text(), "nothing delivered twice");
    }

    @Test
    void concurrentSendersDuringTheFirstConnectKeepTheirOwnOrder() throws Exception {
        Inbox bobInbox = new Inbox();
        Peer alice = peer("alice", m -> { });
        peer("bob", bobInbox);
        int threads = 4;
        int each = 500;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String tag = "t" + t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    alice.send("bob", tag + ":" + i);
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread t : senders) {
            t.join(Await.DEFAULT.toMillis());
        }
        Map<String, Integer> next = new HashMap<>();
        for (int k = 0; k < threads * each; k++) {
            String[] parts = bobInbox.next().text().split(":");
            int expected = next.merge(parts[0], 1, Integer::sum) - 1;
            assertEquals(expected, Integer.parseInt(parts[1]), "order of sender " + parts[0]);
        }
    }

    @Test
    void aFriendNotInTheDirectoryCanBeAnsweredWhileItsConnectionIsOpen() {
        Inbox aliceInbox = new Inbox();
        Peer alice = peer("alice", aliceInbox);
        MutableDirectory bobsTable = new MutableDirectory().put("alice", alice.listenAddress());
        Inbox bobInbox = new Inbox();
        Peer bob = P2pChat.builder("bob").transport(transportName()).listenOn(PeerAddress.loopback(0))
                .directory(bobsTable).listener(bobInbox).start();
        toClose.add(bob);
        // carol is in nobody's table but her own.
        MutableDirectory carolsTable = new MutableDirectory().put("bob", bob.listenAddress());
        Inbox carolInbox = new Inbox();
        Peer carol = P2pChat.builder("carol").transport(transportName())
                .listenOn(PeerAddress.loopback(0)).directory(carolsTable).listener(carolInbox)
                .start();
        toClose.add(carol);
        await(carol.send("bob", "you don't know me"));
        assertEquals("carol", bobInbox.next().from());
        assertEquals(ConnectionState.CONNECTED, bob.connectionState("carol"));
        await(bob.send("carol", "now I do"));
        assertEquals("now I do", carolInbox.next().text());
        assertInstanceOf(UnknownPeerException.class, Await.failure(alice.send("carol", "who?")));
    }

    @Test
    void aFriendNotInTheDirectoryThatCallsBackAfterAnIdleCloseIsAnsweredAgain() {
        // bob does not list carol, so he forgets her when her connection idles out; she still
        // remembers the numbers of his first answer, and his next answers must carry on from them.
        MutableDirectory bobsTable = new MutableDirectory();
        Inbox bobInbox = new Inbox();
        ChatNode bob = (ChatNode) P2pChat.builder("bob").transport(transportName())
                .listenOn(PeerAddress.loopback(0)).directory(bobsTable).listener(bobInbox)
                .ticker(ticker).idleTimeout(Duration.ofMinutes(1)).start();
        toClose.add(bob);
        MutableDirectory carolsTable = new MutableDirectory().put("bob", bob.listenAddress());
        Inbox carolInbox = new Inbox();
        Peer carol = P2pChat.builder("carol").transport(transportName())
                .listenOn(PeerAddress.loopback(0)).directory(carolsTable).listener(carolInbox)
                .ticker(ticker).idleTimeout(Duration.ofMinutes(1)).start();
        toClose.add(carol);
        for (int round = 1; round <= 3; round++) {
            await(carol.send("bob", "question " + round));
            assertEquals("question " + round, bobInbox.next().text());
            await(bob.send("carol", "answer " + round));
            assertEquals("answer " + round, carolInbox.next().text());

            ticker.advance(Duration.ofMinutes(2));
            Await.until("bob to forget carol after her connection idles out",
                    () -> !bob.probe().hasLink("carol"));
        }
        assertTrue(bobInbox.messages.isEmpty() && carolInbox.messages.isEmpty(), "no copies");
    }

    /** A peer not in {@link #directory}, whose own table lists {@code friend}. */
    private Peer stranger(String name, Peer friend, Inbox inbox, UnaryOperator<PeerBuilder> tweak) {
        MutableDirectory table = new MutableDirectory().put(friend.name(), friend.listenAddress());
        Peer p = tweak.apply(P2pChat.builder(name).transport(transportName())
                .listenOn(PeerAddress.loopback(0)).directory(table).listener(inbox)
                .ticker(ticker)).start();
        toClose.add(p);
        return p;
    }

    @Test
    void aStrangerWhoWroteIsAnsweredAfterItsConnectionIdledOut() {
        Inbox bobInbox = new Inbox();
        ChatNode bob = (ChatNode) peer("bob", bobInbox, b -> b.idleTimeout(Duration.ofMinutes(1)));
        Inbox carolInbox = new Inbox();
        Peer carol = stranger("carol", bob, carolInbox, b -> b.idleTimeout(Duration.ofMinutes(1)));
        await(carol.send("bob", "you don't know me"));
        assertEquals("you don't know me", bobInbox.next().text());

        ticker.advance(Duration.ofMinutes(2));
        Await.until("bob to forget carol's link once her connection idles out",
                () -> !bob.probe().hasLink("carol"));

        await(bob.send("carol", "but I can still answer"));
        assertEquals("but I can still answer", carolInbox.next().text());
        assertEquals(1, bob.probe().openConnections("carol"), "bob called carol back");
    }

    @Test
    void aStrangerWhoseHelloClaimsAnotherHostIsCalledBackAtTheAddressItsConnectionCameFrom() {
        Inbox bobInbox = new Inbox();
        ChatNode bob = (ChatNode) peer("bob", bobInbox, b -> b.idleTimeout(Duration.ofMinutes(1)));
        Inbox carolInbox = new Inbox();
        // carol listens on 127.0.0.1 but says 127.0.0.2, where nothing of hers listens.
        Peer carol = stranger("carol", bob, carolInbox, b -> b.idleTimeout(Duration.ofMinutes(1))
                .transport(new ClaimedHostTransport(
                        org.p2pchat.core.internal.node.TransportSelector.discover(transportName()),
                        "127.0.0.2")));
        assertEquals("127.0.0.2", carol.listenAddress().host());
        await(carol.send("bob", "call me back"));
        assertEquals("call me back", bobInbox.next().text());
        ticker.advance(Duration.ofMinutes(2));
        Await.until("bob to forget carol's link", () -> !bob.probe().hasLink("carol"));

        await(bob.send("carol", "at 127.0.0.1"));
        assertEquals("at 127.0.0.1", carolInbox.next().text());
    }

    @Test
    void afterTwoHundredFiftySixNewerStrangersTheOldestCannotBeAnsweredAnyMore() {
        Inbox bobInbox = new Inbox();
        ChatNode bob = (ChatNode) peer("bob", bobInbox, quickRetries());
        List<String> strangers = new ArrayList<>();
        for (int i = 0; i <= 256; i++) {
            String name = i == 0 ? "carol" : "stranger" + i;
            strangers.add(name);
            Peer s = stranger(name, bob, new Inbox(), b -> b);
            await(s.send("bob", "hello from " + name));
            assertEquals("hello from " + name, bobInbox.next().text());
            s.close(); // bob forgets the link once its connection closes
            Await.until("bob to forget " + name + "'s link", () -> !bob.probe().hasLink(name));
        }

        assertInstanceOf(UnknownPeerException.class,
                Await.failure(bob.send("carol", "are you still there?")), "carol was forgotten");
        // The 256 newer ones are remembered: bob calls the first of them back, finds it gone,
        // and says so until the message times out.
        String oldestKept = strangers.get(1);
        CompletableFuture<Void> sent = bob.send(oldestKept, "are you there?").toCompletableFuture();
        Await.until("the call-back to fail", () -> bob.connectionFailure(oldestKept).isPresent());
        assertInstanceOf(P2pChatException.class, bob.connectionFailure(oldestKept).get());
        assertTrue(bob.connectionState(oldestKept) != ConnectionState.CONNECTED);
        ticker.advance(Settings.DEFAULT_DELIVERY_TIMEOUT);
        assertInstanceOf(DeliveryTimeoutException.class, Await.failure(sent));
    }

    /** The failure of a stage that has already completed, or null. */
    private static Throwable failureNow(CompletionStage<?> stage) {
        return stage.toCompletableFuture().handle((v, e) -> e).getNow(null);
    }

    private static UnaryOperator<PeerBuilder> quickRetriesAndLinger(Duration linger) {
        return b -> quickRetries().apply(b).closeLinger(linger);
    }

    /** Starts bob at an address alice has been failing to reach. */
    private Peer bobAt(PeerAddress address, Inbox inbox) {
        Peer bob = P2pChat.builder("bob").transport(transportName()).listenOn(address)
                .directory(directory).listener(inbox).ticker(ticker).start();
        toClose.add(bob);
        return bob;
    }

    /** Closes a peer on a thread of its own and waits until the peer refuses new messages. */
    private Thread closeInBackground(Peer peer) {
        Thread closer = new Thread(peer::close, "closer of " + peer.name());
        closer.setDaemon(true);
        closer.start();
        Await.until(peer.name() + " to start closing",
                () -> failureNow(peer.send("nobody", "x")) instanceof PeerClosedException);
        return closer;
    }

    @Test
    void aMessageSentRightBeforeCloseIsStillDelivered() {
        Inbox bobInbox = new Inbox();
        Peer alice = peer("alice", m -> { });
        peer("bob", bobInbox);
        CompletableFuture<Void> sent = alice.send("bob", "hi bob").toCompletableFuture();
        alice.close();
        assertTrue(sent.isDone(), "close() returned once bob had acknowledged");
        Await.result(sent);
        assertEquals("hi bob", bobInbox.next().text());
    }

    @Test
    void withAFriendOfflineCloseReturnsAfterTheLingerAndTheMessageFails() throws Exception {
        Duration linger = Duration.ofMillis(200);
        Peer alice = peer("alice", m -> { }, quickRetriesAndLinger(linger));
        directory.put("bob", deadAddress());
        CompletableFuture<Void> sent = alice.send("bob", "are you there?").toCompletableFuture();
        long start = System.nanoTime();
        alice.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(linger) >= 0, "lingered for " + took);
        assertTrue(sent.isDone(), "failed by the time close() returned");
        Throwable e = failureNow(sent);
        assertInstanceOf(PeerClosedException.class, e);
        assertEquals("alice closed before bob acknowledged this message, within the close linger"
                + " of PT0.2S (p2pchat.closeLinger)", e.getMessage());
    }

    @Test
    void withALingerOfZeroCloseFailsWaitingMessagesAtOnce() throws Exception {
        Peer alice = peer("alice", m -> { }, quickRetriesAndLinger(Duration.ZERO));
        directory.put("bob", deadAddress());
        CompletableFuture<Void> sent = alice.send("bob", "are you there?").toCompletableFuture();
        alice.close();
        assertInstanceOf(PeerClosedException.class, failureNow(sent));
    }

    @Test
    void duringTheLingerNewSendsFailAtOnceAndWaitingMessagesAreRetriedUntilDelivered()
            throws Exception {
        Peer alice = peer("alice", m -> { }, quickRetriesAndLinger(Duration.ofMinutes(1)));
        PeerAddress bobsAddress = deadAddress();
        directory.put("bob", bobsAddress);
        CompletableFuture<Void> waiting = alice.send("bob", "waiting").toCompletableFuture();
        Thread closer = closeInBackground(alice);

        CompletableFuture<Void> late = alice.send("bob", "too late").toCompletableFuture();
        assertInstanceOf(PeerClosedException.class, failureNow(late), "fails at once");
        assertTrue(closer.isAlive(), "close() lingers for the waiting message");

        Inbox bobInbox = new Inbox();
        bobAt(bobsAddress, bobInbox);
        Await.result(waiting);
        assertEquals("waiting", bobInbox.next().text());
        closer.join(Await.DEFAULT.toMillis());
        assertFalse(closer.isAlive(), "close() returned once nothing waited, long before the"
                + " minute of linger");
        assertTrue(bobInbox.messages.isEmpty(), "the refused message was never sent");
    }

    @Test
    void aSecondCloseReturnsOnlyOnceTheFirstHasFinished() throws Exception {
        Peer alice = peer("alice", m -> { }, quickRetriesAndLinger(Duration.ofMinutes(1)));
        PeerAddress bobsAddress = deadAddress();
        directory.put("bob", bobsAddress);
        CompletableFuture<Void> waiting = alice.send("bob", "waiting").toCompletableFuture();
        Thread first = closeInBackground(alice);
        CompletableFuture<Boolean> secondSawTheMessageSettled = new CompletableFuture<>();
        Thread second = new Thread(() -> {
            alice.close();
            secondSawTheMessageSettled.complete(waiting.isDone());
        });
        second.setDaemon(true);
        second.start();
        Await.until("the second close() to wait",
                () -> second.getState() == Thread.State.TIMED_WAITING);

        bobAt(bobsAddress, new Inbox());
        Await.result(waiting);
        assertTrue(Await.result(secondSawTheMessageSettled));
        first.join(Await.DEFAULT.toMillis());
        assertFalse(first.isAlive());
    }

    @Test
    void closeFromAStageCallbackOnTheNetworkThreadLingersWithoutBlockingIt() throws Exception {
        Inbox bobInbox = new Inbox();
        Peer alice = peer("alice", m -> { }, quickRetriesAndLinger(Duration.ofMinutes(1)));
        PeerAddress bobsAddress = deadAddress();
        directory.put("bob", bobsAddress);
        CompletableFuture<Void> first = alice.send("bob", "first").toCompletableFuture();
        CompletableFuture<CompletableFuture<Void>> second = new CompletableFuture<>();
        CompletableFuture<String> closeReturnedOn = new CompletableFuture<>();
        // bob is offline, so this runs when his acknowledgement arrives: on alice's network loop.
        first.thenRun(() -> {
            second.complete(alice.send("bob", "second").toCompletableFuture());
            alice.close();
            closeReturnedOn.complete(Thread.currentThread().getName());
        });

        bobAt(bobsAddress, bobInbox);
        // Not waiting on first itself: a thread waiting on a stage may run its callbacks.
        String thread = Await.result(closeReturnedOn);
        assertTrue(thread.startsWith("p2pchat-" + transportName() + "-alice"), thread);
        Await.result(first);
        Await.result(Await.result(second));
        assertEquals("first", bobInbox.next().text());
        assertEquals("second", bobInbox.next().text());
        Await.until("alice to finish closing once nothing waits",
                () -> failureNow(alice.send("bob", "x")).getMessage().equals("alice is closed"));
    }

    @Test
    void aListenerThatClosesItsPeerAfterAnsweringStillGetsTheAnswerDelivered() {
        Inbox aliceInbox = new Inbox();
        Peer alice = peer("alice", aliceInbox);
        CompletableFuture<Peer> bobRef = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<Void>> answer = new CompletableFuture<>();
        Peer bob = peer("bob", m -> {
            Peer self = bobRef.join();
            answer.complete(self.send("alice", "bye, " + m.from()).toCompletableFuture());
            self.close();
        }, b -> b.closeLinger(Duration.ofMinutes(1)));
        bobRef.complete(bob);
        await(alice.send("bob", "hi"));
        Await.result(Await.result(answer));
        assertEquals("bye, alice", aliceInbox.next().text());
    }

    @Test
    void aSendRacingCloseFailsInsteadOfWaitingForever() throws Exception {
        CountDownLatch lookingUp = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PeerDirectory slow = new PeerDirectory() {
            @Override
            public Optional<PeerEntry> lookup(String name) {
                if (name.equals("bob")) {
                    lookingUp.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return directory.lookup(name);
            }

            @Override
            public List<PeerEntry> entries() {
                return directory.entries();
            }
        };
        peer("bob", m -> { });
        Peer alice = P2pChat.builder("alice").transport(transportName())
                .listenOn(PeerAddress.loopback(0)).directory(slow).ticker(ticker).start();
        toClose.add(alice);
        CompletableFuture<CompletionStage<Void>> sending =
                CompletableFuture.supplyAsync(() -> alice.send("bob", "hi"));
        assertTrue(lookingUp.await(10, TimeUnit.SECONDS), "send reached the directory");
        alice.close();
        release.countDown();
        assertInstanceOf(PeerClosedException.class, Await.failure(Await.result(sending)));
    }

    @Test
    void aConnectionThatSkipsTheHandshakeIsClosedAndDeliversNothing() {
        Inbox bobInbox = new Inbox();
        Peer bob = peer("bob", bobInbox);
        Transport raw = org.p2pchat.core.internal.node.TransportSelector.discover(transportName())
                .create(TransportOptions.builder().name("raw").build());
        toClose.add(raw);
        RecordingHandler handler = RecordingHandler.recording();
        Connection c = Await.result(raw.connect(bob.listenAddress(), handler));
        c.write(ByteBuffer.wrap(new byte[] {2, 'h', 'i'}));
        assertEquals(Reason.REMOTE_CLOSE, handler.awaitClose());
        assertTrue(bobInbox.messages.isEmpty());
    }

    @Test
    void afterCloseSendsFailAndCloseCanBeCalledAgain() {
        Peer alice = peer("alice", m -> { });
        alice.close();
        assertInstanceOf(PeerClosedException.class, Await.failure(alice.send("alice", "x")));
        alice.close();
    }
}
