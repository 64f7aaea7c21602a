package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomDeliveryException;
import org.p2pchat.api.RoomJoinException;
import org.p2pchat.api.RoomJoinException.Reason;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.RoomMessageId;
import org.p2pchat.core.internal.room.SimNet.SimPeer;

/**
 * Rooms of several simulated peers over {@link SimNet}: joins, flooding, de-duplication and
 * order, forgeries, leaves, failures and partitions, each frame delivered in a seeded random
 * interleaving (FIFO within each link), time moved only by the test.
 */
class RoomMeshSimulationTest {

    // ---- helpers ----

    private static <T> T done(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "not completed: " + f);
        return f.join();
    }

    private static Throwable failure(CompletionStage<?> stage) {
        CompletableFuture<?> f = stage.toCompletableFuture();
        assertTrue(f.isCompletedExceptionally(), "expected a failure: " + f);
        try {
            f.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** Lets every frame in flight and every task run, then gives the stage's result. */
    private static <T> T drained(SimNet net, CompletionStage<T> stage) {
        net.drain();
        return done(stage);
    }

    /** Lets every frame in flight and every task run, then gives why the join was refused. */
    private static RoomJoinException refused(SimNet net, CompletionStage<Room> join) {
        net.drain();
        return assertInstanceOf(RoomJoinException.class, failure(join));
    }

    /** Each of {@code peers} told its listener of {@code event} this many times. */
    private static void assertEachHeard(int times, String event, SimPeer... peers) {
        for (SimPeer p : peers) {
            assertEquals(times, p.heard.count(event), p + " on " + event + ": " + p.heard.events);
        }
    }

    private static Set<String> view(Room room) {
        Set<String> out = new TreeSet<>();
        for (RoomMember m : room.members()) {
            out.add(m.name() + " " + m.key() + " " + m.address());
        }
        return out;
    }

    private static void assertViewsAgree(Collection<Room> rooms, int size) {
        Set<String> first = null;
        for (Room r : rooms) {
            Set<String> v = view(r);
            assertEquals(size, v.size(), "members " + v);
            if (first == null) {
                first = v;
            } else {
                assertEquals(first, v);
            }
        }
    }

    private static void assertNoneFailed(Collection<Room> rooms) {
        for (Room r : rooms) {
            for (RoomMember m : r.members()) {
                assertNotEquals(MemberState.FAILED, m.state(), m + " in " + r);
            }
        }
    }

    /** A room created by the first peer, joined by each other one in turn, all settled. */
    private static Map<SimPeer, Room> settledRoom(SimNet net, RoomAccess access, SimPeer... peers) {
        Map<SimPeer, Room> rooms = new LinkedHashMap<>();
        Room first = peers[0].rooms.create("lobby", access);
        rooms.put(peers[0], first);
        for (int i = 1; i < peers.length; i++) {
            CompletionStage<Room> join = access == RoomAccess.OPEN
                    ? peers[i].rooms.join("lobby", peers[i - 1].address)
                    : peers[i].rooms.join(rooms.get(peers[i - 1]).invite());
            rooms.put(peers[i], drained(net, join));
        }
        assertViewsAgree(rooms.values(), peers.length);
        return rooms;
    }

    private static ChatRoom chat(Room r) {
        return (ChatRoom) r;
    }

    private static List<String> textsFrom(SimPeer listener, SimPeer origin) {
        List<String> out = new ArrayList<>();
        for (RoomMessage m : listener.heard.messages) {
            if (m.fromKey().equals(origin.key)) {
                out.add(m.text());
            }
        }
        return out;
    }

    // ---- joining and flooding ----

    /**
     * Five peers: A creates an open room; B joins through A, then C through B, D through C, and
     * E through A once B is in; all publish 200 messages each while the joins go on. Each peer
     * hears every message published by another after it joined, once, in its origin's order.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void fivePeersJoiningThroughEachOtherHearEveryMessageOnceInOrder(long seed) {
        SimNet net = new SimNet(seed);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        SimPeer e = net.peer("erin");
        List<SimPeer> all = List.of(a, b, c, d, e);
        int perPeer = 200;
        Map<SimPeer, Room> room = new LinkedHashMap<>();
        Map<SimPeer, Integer> published = new HashMap<>();
        all.forEach(p -> published.put(p, 0));
        Map<SimPeer, Map<SimPeer, Integer>> publishedWhenJoined = new HashMap<>();
        Map<SimPeer, CompletionStage<Room>> joins = new HashMap<>();
        List<CompletionStage<RoomMessageId>> stages = new ArrayList<>();
        room.put(a, a.rooms.create("lobby", RoomAccess.OPEN));
        publishedWhenJoined.put(a, new HashMap<>(published));
        Map<SimPeer, SimPeer> via = Map.of(b, a, c, b, d, c, e, a);
        Map<SimPeer, SimPeer> after = Map.of(b, a, c, b, d, c, e, b);
        while (true) {
            for (SimPeer j : List.of(b, c, d, e)) {
                if (!joins.containsKey(j) && room.containsKey(after.get(j))) {
                    CompletionStage<Room> join = j.rooms.join("lobby", via.get(j).address);
                    joins.put(j, join);
                    join.whenComplete((r, x) -> {
                        if (x == null) {
                            room.put(j, r);
                            publishedWhenJoined.put(j, new HashMap<>(published));
                        }
                    });
                }
            }
            List<SimPeer> can = new ArrayList<>();
            for (SimPeer p : room.keySet()) {
                if (published.get(p) < perPeer) {
                    can.add(p);
                }
            }
            if (can.isEmpty()) {
                if (room.size() == all.size()) {
                    break;
                }
                if (!net.step()) {
                    joins.forEach((j, s) -> {
                        if (s.toCompletableFuture().isCompletedExceptionally()) {
                            fail(j + "'s join failed: " + failure(s));
                        }
                    });
                    fail("stuck with members " + room.keySet());
                }
                continue;
            }
            SimPeer p = can.get(net.random.nextInt(can.size()));
            int n = published.merge(p, 1, Integer::sum);
            stages.add(room.get(p).publish(p.name + " " + n));
            net.run(net.random.nextInt(40));
        }
        net.drain();

        for (SimPeer r : all) {
            assertTrue(r.heard.seqsFrom(r.key).isEmpty(), r + " heard itself");
            for (SimPeer o : all) {
                if (o == r) {
                    continue;
                }
                List<Long> seqs = r.heard.seqsFrom(o.key);
                int before = publishedWhenJoined.get(r).get(o);
                String what = r + " hearing " + o + " (joined after " + before + "): " + seqs;
                assertFalse(seqs.isEmpty(), what);
                for (int i = 0; i < seqs.size(); i++) {
                    assertEquals(seqs.get(0) + i, seqs.get(i), "once each, in order: " + what);
                }
                assertTrue(seqs.get(0) <= before + 1, "missed the first ones: " + what);
                assertEquals(perPeer, seqs.get(seqs.size() - 1), "missed the last ones: " + what);
                assertEquals(1, r.heard.count("joined " + o.name), r + " on " + o + ": "
                        + r.heard.events);
            }
            for (RoomMessage m : r.heard.messages) {
                assertEquals(m.from() + " " + m.id().seq(), m.text());
                assertEquals(net.byKey(m.fromKey()).name, m.from());
                assertEquals("lobby", m.room());
            }
            assertTrue(r.forgeries.isEmpty(), r.forgeries.toString());
            assertEquals(all.size(), r.rooms.sequencerStateSize("lobby"), "nothing left held");
        }
        assertViewsAgree(room.values(), 5);
        for (CompletionStage<RoomMessageId> s : stages) {
            assertTrue(s.toCompletableFuture().isDone(), "a publish stage did not complete");
            done(s);
        }
        // digests and failure checks run quietly in a healthy room
        net.advance(Duration.ofSeconds(6));
        for (SimPeer r : all) {
            assertTrue(r.heard.events.stream().noneMatch(x -> x.startsWith("failed")),
                    r.heard.events.toString());
        }
        assertViewsAgree(room.values(), 5);
        assertNoneFailed(room.values());
    }

    @Test
    void aJoinerHearsTheAdmittersNextMessageAtOnceThoughTheAdmitterHadPublishedBefore() {
        SimNet net = new SimNet(10);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        Room ra = a.rooms.create("lobby", RoomAccess.OPEN);
        for (int i = 1; i <= 3; i++) {
            done(ra.publish("early " + i));
        }
        drained(net, b.rooms.join("lobby", a.address));
        CompletionStage<RoomMessageId> fourth = ra.publish("alice 4");
        net.drain();
        assertEquals(List.of("alice 4"), textsFrom(b, a),
                "the joiner waits for messages of the admitter from before it joined");
        assertEquals(4, done(fourth).seq());
    }

    @Test
    void aMessagePublishedTheMomentAJoinCompletesReachesTheMembers() {
        SimNet net = new SimNet(11);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        settledRoom(net, RoomAccess.OPEN, a, b);
        List<CompletionStage<RoomMessageId>> first = new ArrayList<>();
        CompletionStage<Room> join = c.rooms.join("lobby", b.address);
        join.thenAccept(r -> first.add(r.publish("hello all")));
        net.drain();
        done(join);
        assertEquals(List.of("hello all"), textsFrom(a, c));
        assertEquals(List.of("hello all"), textsFrom(b, c));
        done(first.get(0));
    }

    // ---- forgeries ----

    @Test
    void aForgedPostInjectedByAMemberRelayIsDeliveredToNoOneAndReported() {
        SimNet net = new SimNet(20);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b, c, d);
        net.isolate(a); // hold alice's genuine post back so the forgeries come first
        net.sentPosts.clear();
        CompletionStage<RoomMessageId> sent = rooms.get(a).publish("pay bob 10");
        byte[] genuine = net.sentPosts.get(0).body();
        RoomPost g = RoomPost.read(genuine.clone());

        byte[] textChanged = genuine.clone();
        textChanged[72 + "pay bob 1".length()] = '9';
        byte[] seqChanged = genuine.clone();
        ByteBuffer.wrap(seqChanged).putLong(56, g.seq() + 1);
        byte[] otherSigner = RoomPost.sign(chat(rooms.get(a)).id(), d.keys, g.incarnation(),
                g.seq(), g.sentAt(), "pay dave 1000".getBytes(StandardCharsets.UTF_8)).encoded()
                .clone();
        System.arraycopy(a.keys.publicKey(), 0, otherSigner, 16, 32);
        for (byte[] forged : List.of(textChanged, seqChanged, otherSigner)) {
            net.inject(d, b, RoomNet.KIND_POST, forged);
        }
        net.drain();
        assertEquals(3, b.forgeries.size(), b.forgeries.toString());
        for (String f : b.forgeries) {
            assertTrue(f.contains(d.key.fingerprint()), "names the relay: " + f);
            assertTrue(f.contains("signature"), f);
        }
        for (SimPeer p : List.of(b, c, d)) {
            assertTrue(textsFrom(p, a).isEmpty(), p + " heard " + textsFrom(p, a));
        }
        assertTrue(c.forgeries.isEmpty(), "bob relayed a forgery: " + c.forgeries);

        net.healAll();
        net.drain();
        for (SimPeer p : List.of(b, c, d)) {
            assertEquals(List.of("pay bob 10"), textsFrom(p, a), "the genuine one, once, at " + p);
        }
        done(sent);
    }

    @Test
    void aPostWithInvalidUtf8SignedByAMemberIsReportedAndNotDelivered() {
        SimNet net = new SimNet(21);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b);
        RoomPost bad = RoomPost.sign(chat(rooms.get(a)).id(), a.keys,
                chat(rooms.get(a)).selfRecord().incarnation(), 1, 1, new byte[] {'x', (byte) 0xc3});
        net.inject(a, b, RoomNet.KIND_POST, bad.encoded());
        net.drain();
        assertTrue(b.heard.messages.isEmpty());
        assertEquals(1, b.forgeries.size(), b.forgeries.toString());
        assertTrue(b.forgeries.get(0).contains("UTF-8"), b.forgeries.toString());
    }

    @Test
    void postsFromANonMemberAreIgnored() {
        SimNet net = new SimNet(22);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer m = net.peer("mallory");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b);
        RoomPost p = RoomPost.sign(chat(rooms.get(a)).id(), m.keys, 1, 1, 1,
                "spam".getBytes(StandardCharsets.UTF_8));
        net.inject(m, a, RoomNet.KIND_POST, p.encoded());
        net.drain();
        assertTrue(a.heard.messages.isEmpty());
        assertTrue(b.heard.messages.isEmpty());
    }

    // ---- names and access ----

    @Test
    void joiningUnderANameAnotherKeyHoldsIsRefusedWithNameTaken() {
        SimNet net = new SimNet(30);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer impostor = net.peer("bob");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b);
        for (SimPeer through : List.of(a, b)) {
            RoomJoinException x = refused(net, impostor.rooms.join("lobby", through.address));
            assertEquals(Reason.NAME_TAKEN, x.reason(), x.getMessage());
            assertTrue(x.getMessage().contains("bob"), x.getMessage());
        }
        assertTrue(impostor.rooms.rooms().isEmpty());
        assertViewsAgree(rooms.values(), 2);
        assertEquals(0, a.heard.count("joined bob") - 1, a.heard.events.toString());
    }

    @Test
    void joiningARoomTheMemberIsNotInIsRefusedWithNoSuchRoom() {
        SimNet net = new SimNet(31);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        a.rooms.create("lobby", RoomAccess.OPEN);
        assertEquals(Reason.NO_SUCH_ROOM,
                refused(net, b.rooms.join("kitchen", a.address)).reason());
        assertEquals(Reason.NO_SUCH_ROOM,
                refused(net, b.rooms.join("kitchen", a.address)).reason(),
                "a failed join leaves nothing pending");
    }

    @Test
    void anInviteOnlyRoomRefusesAJoinWithoutTheInviteAndAdmitsOneWithIt() {
        SimNet net = new SimNet(32);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        Room ra = a.rooms.create("team", RoomAccess.INVITE_ONLY);
        RoomJoinException x = refused(net, b.rooms.join("team", a.address));
        assertEquals(Reason.INVITE_REQUIRED, x.reason(), x.getMessage());
        assertEquals(1, ra.members().size());

        // a tampered secret proves nothing
        Invite real = Invite.parse(ra.invite());
        byte[] wrong = real.secret().clone();
        wrong[0] ^= 1;
        String withWrong = new Invite(real.member(), real.room(), real.id(), real.memberKey(),
                wrong).toString();
        assertEquals(Reason.INVITE_REQUIRED, refused(net, b.rooms.join(withWrong)).reason());

        Room rb = drained(net, b.rooms.join(ra.invite()));
        assertEquals(RoomAccess.INVITE_ONLY, rb.access());
        Room rc = drained(net, c.rooms.join(rb.invite()));
        assertViewsAgree(List.of(ra, rb, rc), 3);
        drained(net, rc.publish("hi team"));
        assertEquals(List.of("hi team"), textsFrom(a, c));
    }

    @Test
    void anInviteNamingAnotherKeyThanTheMemberAtItsAddressIsRefused() {
        SimNet net = new SimNet(33);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        Room ra = a.rooms.create("team", RoomAccess.INVITE_ONLY);
        Invite real = Invite.parse(ra.invite());
        String bobsKey = new Invite(real.member(), real.room(), real.id(), b.key, real.secret())
                .toString();
        assertEquals(Reason.PROTOCOL, refused(net, c.rooms.join(bobsKey)).reason());
        assertEquals(1, ra.members().size());
    }

    @Test
    void aRecordWithoutAValidAdmissionIsIgnoredWhoeverSendsIt() {
        SimNet net = new SimNet(34);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer m = net.peer("mallory");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.INVITE_ONLY, a, b, c);
        RoomId id = chat(rooms.get(a)).id();
        MemberRecord none = MemberRecord.sign(id, m.keys, 5, MemberRecord.JOINED, "mallory",
                m.address, new byte[0]);
        MemberRecord wrongSecret = MemberRecord.sign(id, m.keys, 6, MemberRecord.JOINED,
                "mallory", m.address, Admission.prove(new byte[32], id, m.keys.publicKey()));
        MemberRecord borrowed = MemberRecord.sign(id, m.keys, 7, MemberRecord.JOINED, "mallory",
                m.address, chat(rooms.get(c)).selfRecord().admission());
        net.inject(c, a, RoomNet.KIND_CONTROL, RoomControl.announce(none));
        net.inject(c, a, RoomNet.KIND_CONTROL, RoomControl.announce(wrongSecret));
        net.inject(c, b, RoomNet.KIND_CONTROL, RoomControl.announce(borrowed));
        net.inject(m, b, RoomNet.KIND_CONTROL, RoomControl.announce(none));
        net.drain();
        assertViewsAgree(rooms.values(), 3);
        assertEachHeard(0, "joined mallory", a, b, c);
        assertEquals(2, a.forgeries.size(), a.forgeries.toString());
        assertEquals(2, b.forgeries.size(), b.forgeries.toString());
        assertTrue(a.forgeries.get(0).contains("admission"), a.forgeries.toString());
    }

    // ---- leaving ----

    @Test
    void aMemberThatLeavesIsReportedLeftOnceByEveryOtherAndGoesFromTheViews() {
        SimNet net = new SimNet(40);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b, c, d);
        drained(net, rooms.get(c).leave());
        rooms.remove(c);
        assertEachHeard(1, "left carol", a, b, d);
        assertTrue(c.rooms.rooms().isEmpty());
        assertViewsAgree(rooms.values(), 3);
        CompletionStage<RoomMessageId> after = rooms.get(a).publish("after carol");
        net.advance(Duration.ofSeconds(8));
        done(after);
        assertEachHeard(0, "failed carol", a, b, d); // a leaver is not a failure
        assertTrue(textsFrom(c, a).isEmpty(), "carol left before alice published");
        assertEquals(List.of("after carol"), textsFrom(b, a));
    }

    @Test
    void publishingAfterLeavingFails() {
        SimNet net = new SimNet(41);
        SimPeer a = net.peer("alice");
        Room ra = a.rooms.create("lobby", RoomAccess.OPEN);
        done(ra.leave());
        assertInstanceOf(org.p2pchat.api.NotInRoomException.class, failure(ra.publish("x")));
    }

    // ---- failures and partitions ----

    @Test
    void aMemberCutOffLongerThanTheFailureTimeoutIsReportedFailedThenJoinedWhenItAnswers() {
        SimNet net = new SimNet(50);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b, c, d);
        net.advance(Duration.ofSeconds(2));
        net.isolate(d);
        List<CompletionStage<RoomMessageId>> stages = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            stages.add(rooms.get(a).publish("alice " + i));
            stages.add(rooms.get(b).publish("bob " + i));
            net.advance(Duration.ofMillis(300));
        }
        net.advance(SimNet.FAILURE_TIMEOUT.plusSeconds(2));
        for (SimPeer p : List.of(a, b, c)) {
            assertEquals(1, p.heard.count("failed dave"), p + ": " + p.heard.events);
            assertEquals(MemberState.FAILED, stateOf(rooms.get(p), d));
            int expected = (p == a ? 0 : 5) + (p == b ? 0 : 5);
            assertEquals(expected, textsFrom(p, a).size() + textsFrom(p, b).size(),
                    "the others still talk: " + p);
        }
        for (SimPeer p : List.of(a, b, c)) {
            assertEquals(1, d.heard.count("failed " + p.name), d.heard.events.toString());
        }
        assertTrue(d.heard.messages.isEmpty());
        assertFalse(stages.get(0).toCompletableFuture().isDone(), "waits for dave's ack");

        net.healAll();
        net.advance(Duration.ofSeconds(2));
        assertEachHeard(2, "joined dave", a, b, c); // joined, then back
        assertEachHeard(1, "failed dave", a, b, c);
        for (SimPeer p : List.of(a, b, c)) {
            assertEquals(2, d.heard.count("joined " + p.name), d.heard.events.toString());
        }
        List<String> expectA = new ArrayList<>();
        List<String> expectB = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            expectA.add("alice " + i);
            expectB.add("bob " + i);
        }
        assertEquals(expectA, textsFrom(d, a), "queued messages arrive once, in order");
        assertEquals(expectB, textsFrom(d, b));
        stages.forEach(RoomMeshSimulationTest::done);
        assertNoneFailed(rooms.values());
        assertViewsAgree(rooms.values(), 4);
    }

    private static MemberState stateOf(Room room, SimPeer p) {
        for (RoomMember m : room.members()) {
            if (m.key().equals(p.key)) {
                return m.state();
            }
        }
        throw new AssertionError(p + " not in " + room.members());
    }

    /**
     * A 2-2 partition that outlasts even the delivery timeout (so every frame across it is lost)
     * while a fifth peer joins on one side; healed, digests alone bring the views together.
     */
    @ParameterizedTest
    @ValueSource(longs = {60, 61, 62})
    void viewsAgreeAgainAfterAPartitionDuringWhichSomeoneJoined(long seed) {
        SimNet net = new SimNet(seed);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        SimPeer e = net.peer("erin");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b, c, d);
        for (SimPeer x : List.of(a, b)) {
            for (SimPeer y : List.of(c, d, e)) {
                net.cut(x, y);
            }
        }
        net.cut(e, c);
        net.cut(e, d);
        net.heal(a, e);
        net.heal(b, e);
        // published before anyone is reported failed: waits for carol and dave, who never ack
        CompletionStage<RoomMessageId> during = rooms.get(a).publish("during the partition");
        net.advance(SimNet.FAILURE_TIMEOUT.plusSeconds(1));
        rooms.put(e, drained(net, e.rooms.join("lobby", a.address)));
        net.advance(SimNet.DELIVERY_TIMEOUT.plusSeconds(5));
        assertEquals(1, a.heard.count("failed carol"), a.heard.events.toString());
        assertEquals(1, c.heard.count("failed alice"), c.heard.events.toString());
        assertEquals(4, view(rooms.get(c)).size(), "carol has not heard of erin");
        assertEquals(5, view(rooms.get(a)).size());
        RoomDeliveryException lost = assertInstanceOf(RoomDeliveryException.class,
                failure(during));
        assertEquals(Set.of("carol", "dave"), Set.copyOf(lost.missing().stream()
                .map(RoomMember::name).toList()));

        net.healAll();
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(4));
        assertViewsAgree(rooms.values(), 5);
        assertNoneFailed(rooms.values());
        assertEquals(1, c.heard.count("joined erin"), c.heard.events.toString());
        assertEquals(1, d.heard.count("joined erin"), d.heard.events.toString());
        assertEquals(2, a.heard.count("joined carol"), a.heard.events.toString());
        drained(net, rooms.get(e).publish("hello from erin"));
        for (SimPeer p : List.of(a, b, c, d)) {
            assertEquals(List.of("hello from erin"), textsFrom(p, e), p.toString());
        }
    }

    @Test
    void aBridgePeerKeepsBothSidesOfAPartitionTalking() {
        SimNet net = new SimNet(70);
        SimPeer a = net.peer("alice");
        SimPeer b = net.peer("bob");
        SimPeer c = net.peer("carol");
        SimPeer d = net.peer("dave");
        SimPeer bridge = net.peer("erin");
        Map<SimPeer, Room> rooms = settledRoom(net, RoomAccess.OPEN, a, b, c, d, bridge);
        for (SimPeer x : List.of(a, b)) {
            for (SimPeer y : List.of(c, d)) {
                net.cut(x, y);
            }
        }
        CompletionStage<RoomMessageId> sent = rooms.get(a).publish("over the bridge");
        net.advance(SimNet.FAILURE_TIMEOUT.plusSeconds(2));
        for (SimPeer p : List.of(b, c, d, bridge)) {
            assertEquals(List.of("over the bridge"), textsFrom(p, a), p.toString());
        }
        assertEquals(1, a.heard.count("failed carol"), "reachability is per link: "
                + a.heard.events);
        assertEquals(0, a.heard.count("failed erin"));
        assertFalse(sent.toCompletableFuture().isDone(), "carol and dave have not acknowledged");
        net.healAll();
        net.advance(SimNet.DIGEST_INTERVAL.multipliedBy(3));
        done(sent);
        for (SimPeer p : List.of(c, d)) {
            assertEquals(List.of("over the bridge"), textsFrom(p, a), "once: " + p);
        }
        assertViewsAgree(rooms.values(), 5);
        assertNoneFailed(rooms.values());
    }
}
