package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.p2pchat.api.Room;
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
    private final RoomPeers peers = new RoomPeers(b -> RoomPeers.quickRelinks(b.transport(net)
            .roomDigestInterval(Duration.ofMillis(100))
            .roomFailureTimeout(Duration.ofSeconds(3))
            .deliveryTimeout(Duration.ofSeconds(60))));
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
        peers.close();
    }

    private Room room(String name) {
        return peers.room(name);
    }

    @Test
    void lostFramesAndCutLinksThenHealedLeaveEveryMemberWithEveryMessageOnceInOrder() {
        peers.startAll(NAMES);
        peers.open("a");
        peers.join("b", "a");
        peers.join("c", "b");
        peers.join("d", "c");
        peers.join("e", "a");
        peers.awaitMembers(NAMES);

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
            RoomLog log = peers.log(n);
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
            RoomLog log = peers.log(n);
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
     * Catching up: a message that no link carried to a member before its delivery timeout passed
     * (the member was cut off from everyone that had it for longer than that) still reaches it
     * once the links are back, from what its origin and the other members keep: the member's
     * positions show it behind for a whole digest interval, and they send it what it lacks. It
     * gets each message once, in order, and the next message of the origin waits for nothing.
     */
    @Test
    void aMessageNoLinkDeliveredWithinTheDeliveryTimeoutReachesTheMemberOnceTheLinksAreBack() {
        Duration timeout = Duration.ofSeconds(2);
        UnaryOperator<PeerBuilder> shortTimeout = builder -> builder.deliveryTimeout(timeout)
                .roomFailureTimeout(Duration.ofMillis(1500));
        List<String> names = List.of("a", "b", "c");
        peers.startAll(names, shortTimeout);
        peers.open("a");
        peers.join("b", "a");
        peers.join("c", "a");
        peers.awaitMembers(names);

        net.isolate("c", names);
        CompletableFuture<RoomMessageId> lost = room("a").publish("a 0").toCompletableFuture();
        Await.until("b gets a 0", () -> peers.log("b").distinct() == 1);
        CompletableFuture<RoomMessageId> marker = room("b").publish("b 0").toCompletableFuture();
        assertInstanceOf(RoomDeliveryException.class, Await.failure(lost));
        assertInstanceOf(RoomDeliveryException.class, Await.failure(marker));
        assertEquals(List.of(), peers.log("c").textsFrom("a"), "nothing reached c meanwhile");

        net.heal();
        RoomLog onC = peers.log("c");
        Stuck.until("c catches up on a 0 and b 0", Duration.ofSeconds(10),
                () -> onC.distinct() == 2);
        java.time.Instant publishedAt = java.time.Instant.now();
        Await.result(room("a").publish("a 1"));
        Stuck.until("c gets a 1", Duration.ofSeconds(10), () -> onC.distinct() == 3);
        assertEquals(List.of("a 0", "a 1"), onC.textsFrom("a"));
        assertEquals(List.of("b 0"), onC.textsFrom("b"));
        assertEquals(List.of(), onC.violations(), "no gap, nothing twice");
        java.time.Instant got = onC.messages().get(2).receivedAt();
        assertTrue(Duration.between(publishedAt, got).compareTo(timeout) < 0,
                "a 1 waited behind no gap: it came " + Duration.between(publishedAt, got)
                        + " after it was published");
    }

    /**
     * What is not guaranteed, exactly: a message that no link carried to a member before its
     * delivery timeout passed (the member was cut off from everyone that had it for longer than
     * that), and that no member keeps any more for catching up (here none keeps anything:
     * {@code roomCatchUpCount} 0), never reaches that member, even once the links are back; the
     * next message of its origin waits behind the gap for the delivery timeout, then is
     * delivered without it.
     */
    @Test
    void aMessageNoLinkDeliveredInTimeAndNoMemberKeptIsNeverDeliveredAndTheNextWaitsForIt() {
        Duration timeout = Duration.ofSeconds(2);
        UnaryOperator<PeerBuilder> shortTimeout = builder -> builder.deliveryTimeout(timeout)
                .roomFailureTimeout(Duration.ofMillis(1500)).roomCatchUpCount(0);
        List<String> names = List.of("a", "b", "c");
        peers.startAll(names, shortTimeout);
        peers.open("a");
        peers.join("b", "a");
        peers.join("c", "a");
        peers.awaitMembers(names);

        net.isolate("c", names);
        CompletableFuture<RoomMessageId> lost = room("a").publish("a 0").toCompletableFuture();
        Await.until("b gets a 0", () -> peers.log("b").distinct() == 1);
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
        RoomLog onC = peers.log("c");
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
        RoomLog onB = peers.log("b");
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
