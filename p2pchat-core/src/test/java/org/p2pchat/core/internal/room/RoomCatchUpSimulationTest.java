package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.core.internal.room.SimNet.SimPeer;

/**
 * Catching up over {@link SimNet} (PROTOCOL.md, "Catching up"): a member a partition kept away
 * for longer than the delivery timeout, so that every frame across it was given up on, gets what
 * the other side published once it heals; a member that restarts and rejoins gets what it missed
 * meanwhile, from its stored positions; within the bounds of what members keep; and a relay
 * cannot slip an altered message in with a catch-up.
 */
class RoomCatchUpSimulationTest {

    private static <T> T drained(SimNet net, CompletionStage<T> stage) {
        net.drain();
        CompletableFuture<T> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "not completed: " + f);
        return f.join();
    }

    private static Map<SimPeer, Room> settledRoom(SimNet net, SimPeer... peers) {
        Map<SimPeer, Room> rooms = new LinkedHashMap<>();
        rooms.put(peers[0], peers[0].rooms.create("lobby", RoomAccess.OPEN));
        for (int i = 1; i < peers.length; i++) {
            rooms.put(peers[i], drained(net, peers[i].rooms.join("lobby", peers[i - 1].address)));
        }
        for (Room r : rooms.values()) {
            assertEquals(peers.length, r.members().size(), r.members().toString());
        }
        return rooms;
    }

    /** The seqs a peer heard from an origin, in order; each once, else the test fails. */
    private static List<Long> heardOnce(SimPeer listener, SimPeer origin) {
        List<Long> seqs = listener.heard.seqsFrom(origin.key);
        assertEquals(seqs.size(), seqs.stream().distinct().count(),
                listener + " heard " + origin + " twice: " + seqs);
        return seqs;
    }

    private static List<Long> numbers(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void publish(Room room, SimPeer p, int count, SimNet net) {
        for (int i = 0; i < count; i++) {
            room.publish(p.name + " " + i);
            net.run(20);
        }
    }

    // ---- partitions ----

    /**
     * A 2-2 partition outlasting the delivery timeout while both sides publish (300 messages on
     * one side, 20 on the other): every frame across it expires, so only catch-up can carry
     * them. Healed, every member has every other member's messages once, in each origin's order.
     */
    @ParameterizedTest
    @ValueSource(longs = {80, 81})
    void membersPartitionedPastTheDeliveryTimeoutGetEveryMessageOfTheOtherSideOnceInOrder(
            long seed) {
        SimNet net = new SimNet(seed);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        Map<SimPeer, Room> rooms = settledRoom(net, a, b, c, d);
        for (SimPeer x : List.of(a, b)) {
            for (SimPeer y : List.of(c, d)) {
                net.cut(x, y);
            }
        }
        Map<SimPeer, Integer> published = new HashMap<>(Map.of(a, 200, b, 100, c, 20, d, 0));
        for (Map.Entry<SimPeer, Integer> e : published.entrySet()) {
            publish(rooms.get(e.getKey()), e.getKey(), e.getValue(), net);
        }
        net.advance(SimNet.DELIVERY_TIMEOUT.plusSeconds(5));
        assertEquals(List.of(), heardOnce(c, a), "nothing crossed the partition");
        assertEquals(List.of(), heardOnce(a, c));
        assertEquals(numbers(1, 200), heardOnce(b, a), "each side heard its own side");

        net.healAll();
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(8));
        for (SimPeer listener : rooms.keySet()) {
            for (SimPeer origin : rooms.keySet()) {
                if (origin != listener) {
                    assertEquals(numbers(1, published.get(origin)), heardOnce(listener, origin),
                            listener + " hearing " + origin);
                }
            }
            assertTrue(listener.forgeries.isEmpty(), listener.forgeries.toString());
            assertEquals(4, listener.rooms.sequencerStateSize("lobby"), "nothing left held");
        }
    }

    /**
     * Catch-up only repairs what stayed missing: while every link works, the members' positions
     * never show one behind for a whole interval, so no message is sent a second time.
     */
    @Test
    void aHealthyRoomSendsNoMessageTwice() {
        SimNet net = new SimNet(82);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        Map<SimPeer, Room> rooms = settledRoom(net, a, b, c);
        net.sentPosts.clear();
        for (int round = 0; round < 10; round++) {
            publish(rooms.get(a), a, 10, net);
            net.advance(SimNet.DIGEST_INTERVAL);
        }
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(4));
        // alice sends each to bob and carol, and each forwards it to the other unless it got
        // it from the other first: at most 4 sends, none of them twice on one link
        java.util.Set<String> sends = new java.util.HashSet<>();
        for (SimNet.Frame f : net.sentPosts) {
            String send = f.from() + ">" + f.to() + " " + RoomPost.read(f.body().clone()).seq();
            assertTrue(sends.add(send), "sent again: " + send);
        }
        assertTrue(sends.size() >= 200 && sends.size() <= 400, sends.size() + " sends");
        assertEquals(numbers(1, 100), heardOnce(c, a));
        assertEquals(numbers(1, 100), heardOnce(b, a));
    }

    /**
     * A member that relays a catch-up changes the text of each message it sends on: the member
     * behind drops each as a forgery (its signature does not hold) and names the relay; once the
     * relay sends them unchanged, each is delivered once.
     */
    @Test
    void anAlteredMessageInACatchUpIsDroppedAndReportedAndTheGenuineOneDeliveredOnce() {
        SimNet net = new SimNet(83);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer d = net.peer("dave");
        // only bob keeps anything, so only bob can catch dave up
        a.catchUp = new CatchUpLimits(0, Duration.ofHours(1), 0);
        Map<SimPeer, Room> rooms = settledRoom(net, a, b, d);
        net.isolate(d);
        publish(rooms.get(a), a, 5, net);
        net.advance(SimNet.DELIVERY_TIMEOUT.plusSeconds(2));
        assertEquals(numbers(1, 5), heardOnce(b, a));
        net.tamper(b, d, body -> {
            byte[] changed = body.clone();
            changed[changed.length - 65] ^= 1; // the last byte of the text
            return changed;
        });
        net.healAll();
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(3));
        assertEquals(List.of(), heardOnce(d, a), "no altered message delivered");
        assertTrue(d.forgeries.size() >= 5, d.forgeries.toString());
        for (String f : d.forgeries) {
            assertTrue(f.contains(b.key.fingerprint()) && f.contains("signature"), f);
        }
        net.tamper(b, d, null);
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(3));
        assertEquals(numbers(1, 5), heardOnce(d, a));
        for (RoomMessage m : d.heard.messages) {
            assertEquals("alice " + (m.id().seq() - 1), m.text(), "the genuine text");
        }
    }

    // ---- restarts ----

    /**
     * Carol hears alice's first messages, then her process ends (having left the room, or by a
     * crash); while she is away alice and bob publish more. Restarted with the same store, she
     * joins again and gets exactly what she missed: not one message she had, each missed one
     * once, in order; then the room goes on as usual.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aMemberRejoiningWithStoredPositionsGetsExactlyTheMessagesItMissed(boolean leftFirst) {
        SimNet net = new SimNet(leftFirst ? 90 : 91);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        Map<SimPeer, Room> rooms = settledRoom(net, a, b, c);
        publish(rooms.get(a), a, 5, net);
        net.drain();
        assertEquals(numbers(1, 5), heardOnce(c, a));
        if (leftFirst) {
            drained(net, rooms.get(c).leave());
        }
        SimPeer again = net.restart(c);
        publish(rooms.get(a), a, 150, net);
        publish(rooms.get(b), b, 150, net);
        net.advance(Duration.ofSeconds(5));

        Room back = drained(net, again.rooms.join("lobby", b.address));
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(3));
        assertEquals(numbers(6, 155), heardOnce(again, a), "alice's, from where carol stopped");
        assertEquals(numbers(1, 150), heardOnce(again, b), "bob's, all of them");
        rooms.get(a).publish("alice after");
        back.publish("carol after");
        net.advance(SimNet.DIGEST_INTERVAL);
        assertEquals(numbers(6, 156), heardOnce(again, a));
        assertEquals(List.of(1L), heardOnce(b, again));
        assertTrue(again.forgeries.isEmpty(), again.forgeries.toString());
    }

    /**
     * What a member keeps is bounded by count and by age: a member that rejoins after more was
     * published than its admitter keeps gets the newest ones kept, those older are lost (and it
     * waits for none of them).
     */
    @Test
    void aRejoinerGetsOnlyWhatTheCountAndTheAgeBoundsKept() {
        SimNet net = new SimNet(92);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        CatchUpLimits small = new CatchUpLimits(30, Duration.ofSeconds(60), 1 << 20);
        a.catchUp = small;
        b.catchUp = small;
        Map<SimPeer, Room> rooms = settledRoom(net, a, b, c);
        publish(rooms.get(a), a, 1, net);
        net.drain();
        SimPeer again = net.restart(c);
        publish(rooms.get(a), a, 20, net); // alice 2..21: kept until 60 s have passed
        net.advance(Duration.ofSeconds(45));
        publish(rooms.get(a), a, 20, net); // alice 22..41: the count drops 2..11
        net.advance(Duration.ofSeconds(20)); // the age drops 12..21

        drained(net, again.rooms.join("lobby", b.address));
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(3));
        assertEquals(numbers(22, 41), heardOnce(again, a));
        assertEquals(3, again.rooms.sequencerStateSize("lobby"),
                "three origins, nothing held: it waits for nothing older");
    }

    /** A member with nothing stored joins as before: it is sent nothing from before it joined. */
    @Test
    void aFirstJoinIsNotCaughtUp() {
        SimNet net = new SimNet(93);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        Map<SimPeer, Room> rooms = settledRoom(net, a);
        publish(rooms.get(a), a, 10, net);
        drained(net, b.rooms.join("lobby", a.address));
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(3));
        assertEquals(List.of(), heardOnce(b, a));
        rooms.get(a).publish("alice 10");
        net.drain();
        assertEquals(List.of(11L), heardOnce(b, a), "and what comes after, at once");
    }

    /**
     * A peer that was never a member sends a JOIN listing no position at all, as a rejoiner that
     * had nothing of any origin would: it is admitted, but sent nothing from before it joined.
     */
    @Test
    void aFirstJoinThatListsPositionsIsNotCaughtUpEither() {
        SimNet net = new SimNet(94);
        SimPeer a = net.peer("alice");
        SimPeer m = net.peer("mallory");
        Room room = a.rooms.create("lobby", RoomAccess.OPEN);
        publish(room, a, 10, net);
        net.sentPosts.clear();
        MemberRecord record = MemberRecord.sign(((ChatRoom) room).id(), m.keys, 5,
                MemberRecord.JOINED, "mallory", m.address, new byte[0]);
        net.inject(m, a, RoomNet.KIND_CONTROL, RoomControl.join(record, List.of()));
        net.drain();
        assertEquals(2, room.members().size(), "admitted");
        assertEquals(List.of(), net.sentPosts, "sent nothing from before it joined");
    }

    /**
     * A catch-up goes one batch at a time: a rejoiner that missed 600 messages never has more
     * than one batch of them waiting on its admitter's link, and gets them all.
     */
    @Test
    void aCatchUpHasOneBatchInFlightAtATime() {
        SimNet net = new SimNet(95);
        SimPeer a = net.peer("alice");
        SimPeer c = net.peer("carol");
        Map<SimPeer, Room> rooms = settledRoom(net, a, c);
        publish(rooms.get(a), a, 1, net);
        net.drain();
        SimPeer again = net.restart(c);
        publish(rooms.get(a), a, 600, net);
        net.advance(Duration.ofSeconds(5));
        CompletionStage<Room> join = again.rooms.join("lobby", a.address);
        int most = 0;
        for (int i = 0; i < 1_000_000 && net.step(); i++) {
            most = Math.max(most, net.postsWaiting(a, again));
        }
        assertTrue(join.toCompletableFuture().isDone());
        assertEquals(numbers(2, 601), heardOnce(again, a));
        assertEquals(CatchUpFeed.BATCH_POSTS, most, "one full batch at a time");
    }

    /**
     * When what a member keeps starts past the position of the member behind (the older ones
     * were dropped), the catch-up leaves it a gap: the messages kept are sent once, not every
     * interval; it holds them, gives the gap up after the delivery timeout, and delivers them.
     */
    @Test
    void aCatchUpThatCannotFillTheGapIsSentOnceAndDeliveredOnceTheGapIsGivenUp() {
        SimNet net = new SimNet(96);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        a.catchUp = new CatchUpLimits(0, Duration.ofHours(1), 0);
        b.catchUp = new CatchUpLimits(3, Duration.ofHours(1), 1 << 20);
        Map<SimPeer, Room> rooms = settledRoom(net, a, b, c);
        net.isolate(c);
        publish(rooms.get(a), a, 10, net);
        net.advance(SimNet.DELIVERY_TIMEOUT.plusSeconds(2));
        net.sentPosts.clear();
        net.healAll();
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(10));
        assertEquals(List.of(), heardOnce(c, a), "waits behind the gap 1..7");
        long sends = net.sentPosts.stream().filter(f -> f.from() == b && f.to() == c).count();
        assertEquals(3, sends, "bob sent what it keeps, 8..10, once");
        net.advance(SimNet.DELIVERY_TIMEOUT);
        assertEquals(numbers(8, 10), heardOnce(c, a));
    }
}
