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
import org.p2pchat.api.Room;
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
    private final RoomPeers peers = new RoomPeers(b -> b.transport(net)
            .roomDigestInterval(Duration.ofMillis(200))
            .roomFailureTimeout(Duration.ofSeconds(5))
            .idleTimeout(Duration.ofMinutes(5))
            .closeLinger(Duration.ofMillis(200)));
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void closeAll() throws InterruptedException {
        net.releaseHeld();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        peers.close();
    }

    private Room room(String name) {
        return peers.room(name);
    }

    /** Open connections of each ordered pair, "x>y" to the count x holds to y. */
    private Map<String, Integer> connections() {
        Map<String, Integer> out = new TreeMap<>();
        for (String x : NAMES) {
            for (String y : NAMES) {
                if (!x.equals(y)) {
                    out.put(x + ">" + y, ((ChatNode) peers.peer(x)).probe().openConnections(y));
                }
            }
        }
        return out;
    }

    @Test
    void fivePeersOpeningToEachOtherAtOnceKeepOneConnectionPerPairAndEveryMessageOnce()
            throws InterruptedException {
        peers.startAll(NAMES);
        Peer a = peers.peer("a");
        peers.open("a");
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
                    peers.peer(n).joinRoom("general", a.listenAddress()).whenComplete((r, e) -> {
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
        peers.awaitMembers(NAMES);

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
            RoomLog log = peers.log(n);
            Await.until(n + " has " + expected + " messages", () -> log.distinct() >= expected);
        }
        for (String n : NAMES) {
            RoomLog log = peers.log(n);
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
