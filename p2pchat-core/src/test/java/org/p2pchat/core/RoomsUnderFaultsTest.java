package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomDeliveryException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessageId;
import org.p2pchat.testkit.Await;

/**
 * Five members of one room over the in-JVM transport while a seeded fault injector
 * ({@link FaultyNetwork}) loses about one frame in ten and cuts connections at random, then
 * stops: nothing is handed to a listener twice, each origin's messages come in order, and once
 * the links are back every member has every message.
 *
 * <p>A lost frame makes the receiver's next frame fail its Noise authentication, so that
 * connection closes and the link sends what was not acknowledged again on a new one; with the
 * delivery timeout well beyond the faults, nothing should be given up on. The seed is fixed;
 * {@code -Dp2pchat.faultSeed=N} runs another.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoomsUnderFaultsTest {
    private static final long SEED = Long.getLong("p2pchat.faultSeed", 20240611L);
    private static final int PER_PEER = 100;
    private static final int ROUNDS = 10;
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    private final FaultyNetwork net = new FaultyNetwork(SEED);
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<String, RoomLog> logs = new LinkedHashMap<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "publisher");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-cutter");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void closeAll() {
        cutter.shutdownNow();
        publisher.shutdownNow();
        net.heal();
        // Closed from a thread of its own: if a deadlock holds the peers' locks, the test has
        // failed already and must not hang the build.
        Thread closer = new Thread(() -> peers.values().forEach(Peer::close), "closer");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Peer peer(String name) {
        return peer(name, b -> b);
    }

    private Peer peer(String name, UnaryOperator<PeerBuilder> tweak) {
        RoomLog log = new RoomLog(name);
        Peer p = tweak.apply(P2pChat.builder(name).transport(net).listenOn(PeerAddress.loopback(0))
                .listener(log)
                .roomDigestInterval(Duration.ofMillis(100))
                .roomFailureTimeout(Duration.ofSeconds(3))
                .deliveryTimeout(Duration.ofSeconds(60))
                .heartbeatInterval(Duration.ofMillis(100))
                .handshakeTimeout(Duration.ofMillis(500))
                .reconnectDelay(Duration.ofMillis(5))
                .maxReconnectDelay(Duration.ofMillis(50))
                .maxHandshakeRetryDelay(Duration.ofMillis(100))
                .closeLinger(Duration.ofMillis(200)))
                .start();
        peers.put(name, p);
        logs.put(name, log);
        return p;
    }

    private static Room join(Peer joiner, String room, Peer through) {
        return Await.result(joiner.joinRoom(room, through.listenAddress()));
    }

    private Room room(String name) {
        return peers.get(name).room("general").orElseThrow();
    }

    @Test
    void lostFramesAndCutLinksThenHealedLeaveEveryMemberWithEveryMessageOnceInOrder() {
        Peer a = peer("a");
        Peer b = peer("b");
        Peer c = peer("c");
        Peer d = peer("d");
        Peer e = peer("e");
        a.createRoom("general", RoomAccess.OPEN);
        join(b, "general", a);
        join(c, "general", b);
        join(d, "general", c);
        join(e, "general", a);
        for (String n : NAMES) {
            Await.until(n + " sees five members", () -> room(n).members().size() == 5);
        }

        // Faults on: about one frame in ten lost, and a connection cut every 50 ms. Publishing
        // reads the members' states (the room's lock, then each link's) while links that lost
        // their connection redial (a link's lock, then the room's): the deadlock this once hit.
        net.dropRate(0.10);
        cutter.scheduleWithFixedDelay(net::cutRandom, 50, 50, TimeUnit.MILLISECONDS);
        // Published from a thread of its own, so that a deadlock in publish shows as one.
        List<CompletableFuture<RoomMessageId>> published = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = round * PER_PEER / ROUNDS; i < (round + 1) * PER_PEER / ROUNDS; i++) {
                    for (String n : NAMES) {
                        published.add(room(n).publish(n + " " + i).toCompletableFuture());
                    }
                    for (String n : NAMES) {
                        room(n).members(); // as a UI would, showing who is connected
                    }
                }
                // Each round goes out while the faults keep striking: wait for more losses.
                int lostBefore = net.dropped();
                int cutBefore = net.cuts();
                Await.until("more frames lost and links cut (" + net.stats() + ")",
                        Duration.ofSeconds(10),
                        () -> net.dropped() >= lostBefore + 20 && net.cuts() >= cutBefore + 3);
            }
        }, publisher);
        Stuck.until("the rounds of publishing to end (" + net.stats() + ")",
                Duration.ofSeconds(40), publishing::isDone);
        publishing.join();
        // Heal: no more losses, no more cuts.
        cutter.shutdownNow();
        net.heal();
        String faults = net.stats();
        System.out.println("RoomsUnderFaultsTest, " + faults);
        assertTrue(net.dropped() >= 200 && net.cuts() >= 30, "the faults struck: " + faults);

        int expected = (NAMES.size() - 1) * PER_PEER;
        for (String n : NAMES) {
            RoomLog log = logs.get(n);
            Stuck.until(n + " has all " + expected + " messages once healed (" + faults + "; "
                    + n + " has " + log.distinct() + ", violations " + log.violations() + ")",
                    Duration.ofSeconds(30), () -> log.distinct() >= expected);
        }
        Stuck.until("every publish acknowledged by every member", Duration.ofSeconds(30),
                () -> published.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<RoomMessageId> f : published) {
            Await.result(f);
        }
        for (String n : NAMES) {
            Await.until(n + " sees every other member answering again", Duration.ofSeconds(10),
                    () -> room(n).members().stream()
                            .noneMatch(m -> m.state() == MemberState.FAILED));
        }

        for (String n : NAMES) {
            RoomLog log = logs.get(n);
            assertEquals(List.of(), log.violations(), n + ": " + faults);
            assertEquals(expected, log.received(), n + " got each message once: " + faults);
            for (String origin : NAMES) {
                if (!origin.equals(n)) {
                    assertEquals(PER_PEER, log.inOrderFrom(origin),
                            n + " got all of " + origin + "'s messages in order: " + faults);
                }
            }
            assertEquals(NAMES, names(room(n)), n + "'s view: nobody left");
            assertTrue(log.events().stream().noneMatch(ev -> ev.kind().equals("left")),
                    n + " reported no leave: " + log.events());
        }
    }

    /**
     * What is not guaranteed, exactly: a message that no link carried to a member before its
     * delivery timeout passed (the member was cut off from everyone that had it for longer than
     * that) never reaches that member, even once the links are back; the next message of its
     * origin waits behind the gap for the delivery timeout, then is delivered without it.
     */
    @Test
    void aMessageNoLinkDeliveredWithinTheDeliveryTimeoutIsNeverDeliveredAndTheNextWaitsForIt() {
        Duration timeout = Duration.ofSeconds(2);
        UnaryOperator<PeerBuilder> shortTimeout = builder -> builder.deliveryTimeout(timeout)
                .roomFailureTimeout(Duration.ofMillis(1500));
        Peer a = peer("a", shortTimeout);
        Peer b = peer("b", shortTimeout);
        Peer c = peer("c", shortTimeout);
        a.createRoom("general", RoomAccess.OPEN);
        join(b, "general", a);
        join(c, "general", a);
        for (String n : List.of("a", "b", "c")) {
            Await.until(n + " sees three members", () -> room(n).members().size() == 3);
        }

        net.isolate("c", List.of("a", "b", "c"));
        CompletableFuture<RoomMessageId> lost = room("a").publish("a 0").toCompletableFuture();
        Await.until("b gets a 0", () -> logs.get("b").distinct() == 1);
        // b forwarded "a 0" to c before its listener got it; b's next message to c expires after
        // that forward, so once it has, nothing that carries "a 0" to c is left anywhere.
        CompletableFuture<RoomMessageId> marker = room("b").publish("b 0").toCompletableFuture();
        RoomDeliveryException onA = assertInstanceOf(RoomDeliveryException.class,
                Await.failure(lost));
        assertEquals(List.of("c"), onA.missing().stream().map(RoomMember::name).toList(),
                "a 0 was not acknowledged by c alone");
        RoomDeliveryException onB0 = assertInstanceOf(RoomDeliveryException.class,
                Await.failure(marker));
        assertEquals(List.of("c"), onB0.missing().stream().map(RoomMember::name).toList());

        net.heal();
        java.time.Instant publishedAt = java.time.Instant.now();
        Await.result(room("a").publish("a 1"));
        RoomLog onC = logs.get("c");
        Stuck.until("c gets a 1, after the gap before it is given up on", Duration.ofSeconds(10),
                () -> onC.textsFrom("a").contains("a 1"));
        assertEquals(List.of("a 1"), onC.textsFrom("a"), "a 0 never reaches c");
        assertEquals(List.of("c got \"a 1\" when a 0 was due"), onC.violations(),
                "the one gap, and nothing twice");
        java.time.Instant got = null;
        for (org.p2pchat.api.RoomMessage m : onC.messages()) {
            if (m.text().equals("a 1")) {
                got = m.receivedAt();
            }
        }
        assertTrue(Duration.between(publishedAt, got).compareTo(timeout.minusMillis(100)) >= 0,
                "a 1 waited behind the gap for the delivery timeout: it came "
                        + Duration.between(publishedAt, got) + " after it was published");
        RoomLog onB = logs.get("b");
        Await.until("b gets a 1", () -> onB.textsFrom("a").size() == 2);
        assertEquals(List.of("a 0", "a 1"), onB.textsFrom("a"));
        assertEquals(List.of(), onB.violations());
    }

    private static List<String> names(Room room) {
        List<String> out = new ArrayList<>();
        for (RoomMember m : room.members()) {
            out.add(m.name());
        }
        return out;
    }
}
