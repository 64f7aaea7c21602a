package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.testkit.Await;

/**
 * Members that vanish without a leave, over the in-JVM transport: a member cut off from
 * everyone ({@link FaultyNetwork#isolate}: its connections cut, every connect to or from it
 * refused, as when it crashes or loses its network) is reported failed, not left, within the
 * failure timeout, and joined again when it answers; and after a partition into two halves,
 * longer than the failure timeout, every member's view agrees again once it heals.
 */
class RoomFailureAndReturnTest {
    private static final Duration DIGEST = Duration.ofMillis(100);
    private static final Duration FAILURE = Duration.ofMillis(1500);
    /**
     * How late a failure report may come on a real clock: threads on this shared machine can be
     * held up for a second or more. The exact timing (not before the timeout, not later than a
     * digest interval after it) is tested on a manual clock in {@code RoomMeshSimulationTest}.
     */
    private static final Duration MARGIN = Duration.ofMillis(3000);

    private final FaultyNetwork net = new FaultyNetwork(7);
    private final RoomPeers peers = new RoomPeers(b -> RoomPeers.quickRelinks(b.transport(net)
            .roomDigestInterval(DIGEST)
            .roomFailureTimeout(FAILURE)
            .deliveryTimeout(Duration.ofSeconds(30))));

    @AfterEach
    void closeAll() {
        net.heal();
        peers.close();
    }

    private Room room(String name) {
        return peers.room(name);
    }

    /** A member's view: each member's name and state, SELF, FAILED, or UP (connected or idle). */
    private Map<String, String> view(String of) {
        Map<String, String> out = new TreeMap<>();
        for (RoomMember m : room(of).members()) {
            out.put(m.name(), m.state() == MemberState.SELF ? "SELF"
                    : m.state() == MemberState.FAILED ? "FAILED" : "UP");
        }
        return out;
    }

    private boolean sees(String of, String member, MemberState state) {
        return room(of).members().stream()
                .anyMatch(m -> m.name().equals(member) && m.state() == state);
    }

    private boolean allUp(String of, List<String> members) {
        Map<String, String> v = view(of);
        if (!v.keySet().equals(new java.util.TreeSet<>(members))) {
            return false;
        }
        for (String m : members) {
            if (!v.get(m).equals(m.equals(of) ? "SELF" : "UP")) {
                return false;
            }
        }
        return true;
    }

    private void awaitAllUp(List<String> members, Duration timeout) {
        for (String n : members) {
            Stuck.until(n + " sees " + members + " all answering (its view: " + view(n) + ")",
                    timeout, () -> allUp(n, members));
        }
    }

    /**
     * Starts a, b, c and d with {@code more} on the test's settings: a opens the room, b and c
     * join through a, d through c; returns their names once each sees all four answering.
     */
    private List<String> fourInARoom(UnaryOperator<PeerBuilder> more) {
        List<String> names = List.of("a", "b", "c", "d");
        peers.startAll(names, more);
        peers.open("a");
        peers.join("b", "a");
        peers.join("c", "a");
        peers.join("d", "c");
        awaitAllUp(names, Await.DEFAULT);
        return names;
    }

    @Test
    void aMemberCutOffWithoutALeaveIsReportedFailedInTimeAndJoinedAgainWhenItAnswers() {
        List<String> names = List.of("a", "b", "c");
        peers.startAll(names);
        peers.open("a");
        peers.join("b", "a");
        peers.join("c", "b");
        awaitAllUp(names, Await.DEFAULT);

        long cutAt = System.nanoTime();
        net.isolate("c", names);
        for (String n : List.of("a", "b")) {
            RoomLog log = peers.log(n);
            Stuck.until(n + " reports c failed", FAILURE.plus(MARGIN).plus(MARGIN),
                    () -> log.first("failed", "c", cutAt) != null);
            long after = log.first("failed", "c", cutAt).atNanos() - cutAt;
            assertTrue(after <= FAILURE.plus(MARGIN).toNanos(), n + " reported c failed "
                    + Duration.ofNanos(after) + " after it was cut off; the failure timeout is "
                    + FAILURE);
            assertTrue(sees(n, "c", MemberState.FAILED), n + "'s view: " + view(n));
        }
        for (String n : List.of("a", "b")) {
            RoomLog c = peers.log("c");
            Stuck.until("c reports " + n + " failed", FAILURE.plus(MARGIN),
                    () -> c.first("failed", n, cutAt) != null);
        }
        // While c is away, each side publishes: it must get there once c is back.
        room("a").publish("a 0");
        room("c").publish("c 0");

        long healedAt = System.nanoTime();
        net.heal();
        for (String n : List.of("a", "b")) {
            RoomLog log = peers.log(n);
            Stuck.until(n + " reports c joined again", Await.DEFAULT,
                    () -> log.first("joined", "c", healedAt) != null);
            RoomLog c = peers.log("c");
            Stuck.until("c reports " + n + " joined again", Await.DEFAULT,
                    () -> c.first("joined", n, healedAt) != null);
        }
        awaitAllUp(names, Await.DEFAULT);
        for (String n : names) {
            RoomLog log = peers.log(n);
            Stuck.until(n + " has the messages published while c was away",
                    Await.DEFAULT, () -> log.distinct() == (n.equals("b") ? 2 : 1));
        }
        for (String n : names) {
            RoomLog log = peers.log(n);
            assertEquals(List.of(), log.violations(), n);
            assertTrue(log.events().stream().noneMatch(e -> e.kind().equals("left")),
                    n + " reported a leave nobody announced: " + log.events());
        }
        assertEquals(List.of("c 0"), peers.log("a").textsFrom("c"));
        assertEquals(List.of("a 0"), peers.log("c").textsFrom("a"));
        // Failed once, joined once again: nothing flaps.
        List<String> aOnC = new ArrayList<>();
        for (RoomLog.Event e : peers.log("a").eventsOf("c")) {
            aOnC.add(e.kind());
        }
        assertEquals(List.of("joined", "failed", "joined"), aOnC, "a's events about c");
    }

    @Test
    void afterATwoTwoPartitionLongerThanTheFailureTimeoutEveryViewAgreesAgain() {
        List<String> names = fourInARoom(b -> b);

        long cutAt = System.nanoTime();
        net.partition(List.of("a", "b"), List.of("c", "d"));
        Map<String, List<String>> otherSide = Map.of("a", List.of("c", "d"),
                "b", List.of("c", "d"), "c", List.of("a", "b"), "d", List.of("a", "b"));
        for (String n : names) {
            for (String o : otherSide.get(n)) {
                RoomLog log = peers.log(n);
                Stuck.until(n + " reports " + o + " failed", FAILURE.plus(MARGIN).plus(MARGIN),
                        () -> log.first("failed", o, cutAt) != null);
            }
        }
        for (String n : names) {
            Map<String, String> v = view(n);
            for (String m : names) {
                String expected = m.equals(n) ? "SELF"
                        : otherSide.get(n).contains(m) ? "FAILED" : "UP";
                assertEquals(expected, v.get(m), n + "'s view during the partition: " + v);
            }
        }
        // Each half keeps talking; the other half gets it after the heal.
        room("a").publish("a 0");
        room("d").publish("d 0");

        net.heal();
        awaitAllUp(names, Await.DEFAULT);
        Map<String, String> first = view("a");
        for (String n : names) {
            Map<String, String> v = view(n);
            assertEquals(first.keySet(), v.keySet(), n + "'s view against a's");
            RoomLog log = peers.log(n);
            Stuck.until(n + " has what was published during the partition", Await.DEFAULT,
                    () -> log.distinct() == (n.equals("a") || n.equals("d") ? 1 : 2));
            assertEquals(List.of(), log.violations(), n);
            assertTrue(log.events().stream().noneMatch(e -> e.kind().equals("left")),
                    n + " reported a leave nobody announced: " + log.events());
        }
    }

    /**
     * A leave and a join on either side of a partition that outlasts the delivery timeout: by
     * the heal, every frame that carried the news across has expired, so only the digests can
     * tell the other side.
     */
    @Test
    void aLeaveAndAJoinOnEitherSideOfAPartitionLongerThanTheDeliveryTimeoutReachEveryView() {
        Duration timeout = Duration.ofSeconds(2);
        // No one may be reported failed before the markers below expire, or publish would not
        // wait for the other side and the markers would succeed: failure detection is not what
        // this test is about, so it is put out of the way, however slow the machine.
        Duration noFailure = Duration.ofMinutes(5);
        UnaryOperator<PeerBuilder> shortDeliveryNoFailure = b -> b.deliveryTimeout(timeout)
                .roomFailureTimeout(noFailure);
        List<String> names = fourInARoom(shortDeliveryNoFailure);

        long cutAt = System.nanoTime();
        // e does not exist yet: it will be on c and d's side.
        net.partition(List.of("a", "b"), List.of("c", "d", "e"));
        // b leaves where only a hears it; e joins where only c and d see it.
        CompletableFuture<Void> leaving = room("b").leave().toCompletableFuture();
        Stuck.until("a hears b left", Await.DEFAULT,
                () -> peers.log("a").first("left", "b", cutAt) != null);
        peers.start("e", shortDeliveryNoFailure);
        peers.join("e", "d");
        Stuck.until("c sees e", Await.DEFAULT, () -> view("c").containsKey("e"));
        Stuck.until("d sees e", Await.DEFAULT, () -> view("d").containsKey("e"));
        // A join completes on the member's own record; the others come right after. Until they
        // have, e's marker would wait for d and c alone, and succeed.
        Stuck.until("e sees everyone d sees", Await.DEFAULT,
                () -> view("e").keySet().containsAll(List.of("a", "b", "c", "d")));
        // Markers queued behind the news on every link across: when each has failed, so has
        // everything before it (a link expires its messages oldest first).
        List<CompletableFuture<?>> markers = new ArrayList<>();
        for (String n : List.of("a", "c", "d", "e")) {
            markers.add(room(n).publish(n + " 0").toCompletableFuture());
        }
        Await.result(leaving.handle((v, e) -> null)); // b's own sends to c and d expired
        for (CompletableFuture<?> m : markers) {
            Await.failure(m);
        }
        peers.close("b");

        net.heal();
        List<String> after = List.of("a", "c", "d", "e");
        awaitAllUp(after, Duration.ofSeconds(15));
        // The listener hears of a change a moment after the view shows it.
        for (String n : List.of("c", "d")) {
            RoomLog log = peers.log(n);
            Stuck.until(n + " hears b left", Await.DEFAULT,
                    () -> log.first("left", "b", cutAt) != null);
        }
        Stuck.until("a hears e joined", Await.DEFAULT,
                () -> peers.log("a").first("joined", "e", cutAt) != null);
        for (String n : after) {
            assertNull(peers.log(n).first("left", "e", cutAt), n + ": e never left");
        }
    }
}
