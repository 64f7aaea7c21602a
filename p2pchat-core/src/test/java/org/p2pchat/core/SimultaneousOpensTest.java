package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMessageId;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.testkit.Await;

/**
 * Four peers join one room through its creator at the same moment, so that each pair of them
 * learns of the other at once and both call: the calls between joiners are held back
 * ({@link FaultyNetwork#holdConnects}) until each of the twelve (both ways for the six pairs)
 * has been made, then let go together. Every pair must end with one connection, and every
 * message must reach every member once, in order.
 */
class SimultaneousOpensTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final int PER_PEER = 50;

    private final FaultyNetwork net = new FaultyNetwork(1);
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<String, RoomLog> logs = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void closeAll() throws InterruptedException {
        net.releaseHeld();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        for (Peer p : peers.values()) {
            p.close();
        }
    }

    private Peer peer(String name) {
        RoomLog log = new RoomLog(name);
        Peer p = P2pChat.builder(name).transport(net).listenOn(PeerAddress.loopback(0))
                .listener(log)
                .roomDigestInterval(Duration.ofMillis(200))
                .roomFailureTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofMinutes(5))
                .closeLinger(Duration.ofMillis(200))
                .start();
        peers.put(name, p);
        logs.put(name, log);
        return p;
    }

    private Room room(String name) {
        return peers.get(name).room("general").orElseThrow();
    }

    /** Open connections of each ordered pair, "x>y" to the count x holds to y. */
    private Map<String, Integer> connections() {
        Map<String, Integer> out = new TreeMap<>();
        for (String x : NAMES) {
            for (String y : NAMES) {
                if (!x.equals(y)) {
                    out.put(x + ">" + y, ((ChatNode) peers.get(x)).openConnections(y));
                }
            }
        }
        return out;
    }

    @Test
    void fivePeersOpeningToEachOtherAtOnceKeepOneConnectionPerPairAndEveryMessageOnce()
            throws InterruptedException {
        for (String n : NAMES) {
            peer(n);
        }
        Peer a = peers.get("a");
        a.createRoom("general", RoomAccess.OPEN);
        // Calls between joiners wait until all twelve are made; calls to and from a go through.
        net.holdConnects((from, to) -> !"a".equals(from) && !"a".equals(to));
        CountDownLatch start = new CountDownLatch(1);
        Map<String, CompletableFuture<Room>> joins = new LinkedHashMap<>();
        for (String n : NAMES.subList(1, NAMES.size())) {
            CompletableFuture<Room> joined = new CompletableFuture<>();
            joins.put(n, joined);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    peers.get(n).joinRoom("general", a.listenAddress()).whenComplete((r, e) -> {
                        if (e != null) {
                            joined.completeExceptionally(e);
                        } else {
                            joined.complete(r);
                        }
                    });
                } catch (InterruptedException e) {
                    joined.completeExceptionally(e);
                }
            }, "join-" + n);
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (CompletableFuture<Room> j : joins.values()) {
            Await.result(j);
        }
        Await.until("each joiner to call each other joiner (held: " + net.held() + ")",
                () -> net.held() == 12);
        net.releaseHeld();
        for (String n : NAMES) {
            Await.until(n + " sees five members", () -> room(n).members().size() == 5);
        }

        List<CompletableFuture<RoomMessageId>> published = new ArrayList<>();
        for (int i = 0; i < PER_PEER; i++) {
            for (String n : NAMES) {
                published.add(room(n).publish(n + " " + i).toCompletableFuture());
            }
        }
        for (CompletableFuture<RoomMessageId> f : published) {
            Await.result(f);
        }
        int expected = (NAMES.size() - 1) * PER_PEER;
        for (String n : NAMES) {
            RoomLog log = logs.get(n);
            Await.until(n + " has " + expected + " messages", () -> log.distinct() >= expected);
        }
        for (String n : NAMES) {
            RoomLog log = logs.get(n);
            assertEquals(List.of(), log.violations(), n);
            assertEquals(expected, log.received(), n + " got each message once");
            for (String origin : NAMES) {
                if (!origin.equals(n)) {
                    assertEquals(PER_PEER, log.inOrderFrom(origin), n + " has all of " + origin
                            + "'s messages in order");
                }
            }
        }
        Map<String, Integer> afterPublishing = connections();
        try {
            Await.until("one open connection per pair (after publishing: " + afterPublishing + ")",
                    Duration.ofSeconds(20),
                    () -> connections().values().stream().allMatch(count -> count == 1));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; at the deadline: " + connections(), e);
        }
    }
}
