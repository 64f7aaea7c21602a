package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.core.internal.room.RoomFixtures.joined;
import static org.p2pchat.core.internal.room.RoomFixtures.left;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.room.RoomView.Change;

class RoomViewTest {

    @Test
    void aNewMemberJoinsAndTheSameRecordAgainChangesNothing() {
        RoomView v = new RoomView();
        MemberRecord a = joined(1, 10, "alice");
        assertEquals(Change.JOINED, v.apply(a).change());
        assertEquals(Change.NONE, v.apply(a).change());
        assertSame(a, v.member(peerKey(1)));
        assertEquals(1, v.size());
    }

    @Test
    void aHigherIncarnationWins() {
        RoomView v = new RoomView();
        v.apply(joined(1, 10, "alice"));
        RoomView.Applied applied = v.apply(joined(1, 11, "alice"));
        assertEquals(Change.REJOINED, applied.change());
        assertEquals(10, applied.before().incarnation());
        assertEquals(11, v.member(peerKey(1)).incarnation());
        assertEquals(Change.NONE, v.apply(joined(1, 10, "alice")).change(), "older: ignored");
        assertEquals(Change.NONE, v.apply(left(1, 10, "alice")).change(),
                "a leave of an older incarnation: ignored");
        assertEquals(11, v.member(peerKey(1)).incarnation());
    }

    @Test
    void aLeaveBeatsAJoinAtTheSameIncarnation() {
        RoomView v = new RoomView();
        v.apply(joined(1, 10, "alice"));
        RoomView.Applied applied = v.apply(left(1, 10, "alice"));
        assertEquals(Change.LEFT, applied.change());
        assertTrue(applied.before().joined());
        assertNull(v.member(peerKey(1)));
        assertEquals(Change.NONE, v.apply(joined(1, 10, "alice")).change(),
                "the join, replayed, does not bring it back");
        assertNull(v.member(peerKey(1)));
        assertEquals(1, v.formerSize());
        assertEquals(Change.JOINED, v.apply(joined(1, 12, "alice")).change(), "a new join does");
        assertEquals(0, v.formerSize());
    }

    @Test
    void aLeaveHeardBeforeItsJoinIsATombstoneThatKeepsTheJoinOut() {
        RoomView v = new RoomView();
        assertEquals(Change.TOMBSTONE, v.apply(left(1, 10, "alice")).change());
        assertEquals(Change.NONE, v.apply(joined(1, 10, "alice")).change());
        assertEquals(Change.NONE, v.apply(joined(1, 9, "alice")).change());
        assertNull(v.member(peerKey(1)));
        assertEquals(0, v.size());
        assertEquals(1, v.records().size());
        assertTrue(!v.record(peerKey(1)).joined());
    }

    /** Every record of four members over three incarnations; any order gives one view. */
    @Test
    void theFinalViewIsTheSameInEveryOrderOfArrival() {
        List<MemberRecord> all = new ArrayList<>();
        for (int m = 1; m <= 4; m++) {
            for (long inc = 1; inc <= 3; inc++) {
                all.add(joined(m, inc, "m" + m));
                if (m % 2 == 0 || inc < 3) {
                    all.add(left(m, inc, "m" + m));
                }
            }
        }
        // member 1 and 3 end joined at 3, 2 and 4 end left at 3
        Map<String, String> expected = summary(apply(all));
        assertEquals("joined 3", expected.get(peerKey(1).toString()));
        assertEquals("left 3", expected.get(peerKey(2).toString()));
        Random random = new Random(4);
        for (int i = 0; i < 300; i++) {
            List<MemberRecord> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, random);
            RoomView v = apply(shuffled);
            assertEquals(expected, summary(v), "order " + i);
            assertEquals(2, v.size());
        }
    }

    @Test
    void aStaleRecordAnywhereInTheStreamIsIgnored() {
        Random random = new Random(5);
        for (int i = 0; i < 100; i++) {
            List<MemberRecord> records = new ArrayList<>(List.of(joined(1, 5, "a"), joined(1, 3, "a"),
                    left(1, 4, "a"), joined(2, 7, "b"), left(2, 6, "b")));
            Collections.shuffle(records, random);
            RoomView v = apply(records);
            assertEquals(5, v.member(peerKey(1)).incarnation());
            assertEquals(7, v.member(peerKey(2)).incarnation());
        }
    }

    private static RoomView apply(List<MemberRecord> records) {
        RoomView v = new RoomView();
        records.forEach(v::apply);
        return v;
    }

    private static Map<String, String> summary(RoomView v) {
        Map<String, String> out = new TreeMap<>();
        for (MemberRecord r : v.records()) {
            out.put(r.key().toString(), (r.joined() ? "joined " : "left ") + r.incarnation());
        }
        for (MemberRecord r : v.members()) {
            out.put("label " + r.key(), v.label(r));
        }
        return out;
    }

    @Test
    void theEarlierIncarnationHoldsAContestedNameAndTheOtherIsLabelledWithItsFingerprint() {
        MemberRecord first = joined(1, 10, "carol");
        MemberRecord second = joined(2, 20, "carol");
        for (List<MemberRecord> order : List.of(List.of(first, second), List.of(second, first))) {
            RoomView v = apply(order);
            assertEquals(peerKey(1), v.holderOf("carol").key());
            assertEquals("carol", v.label(v.member(peerKey(1))));
            assertEquals("carol~" + peerKey(2).fingerprint().substring(0, 4),
                    v.label(v.member(peerKey(2))));
        }
    }

    @Test
    void atEqualIncarnationsTheSmallerKeyHoldsTheName() {
        MemberRecord a = joined(1, 10, "dave");
        MemberRecord b = joined(2, 10, "dave");
        PeerKey smaller = a.key().toString().compareTo(b.key().toString()) < 0 ? a.key() : b.key();
        assertEquals(smaller, apply(List.of(a, b)).holderOf("dave").key());
        assertEquals(smaller, apply(List.of(b, a)).holderOf("dave").key());
    }

    @Test
    void whenTheHolderLeavesTheOtherGetsThePlainName() {
        RoomView v = apply(List.of(joined(1, 10, "carol"), joined(2, 20, "carol")));
        v.apply(left(1, 10, "carol"));
        assertEquals("carol", v.label(v.member(peerKey(2))));
        assertEquals(peerKey(2), v.holderOf("carol").key());
        assertNull(v.holderOf("nobody"));
    }

    @Test
    void aViewHoldsAtMostMaxMembers() {
        RoomView v = new RoomView();
        for (int m = 0; m < RoomView.MAX_MEMBERS; m++) {
            assertEquals(Change.JOINED, v.apply(joined(m, 1, "m" + m)).change());
        }
        int extra = RoomView.MAX_MEMBERS;
        assertEquals(Change.NONE, v.apply(joined(extra, 1, "extra")).change());
        assertEquals(RoomView.MAX_MEMBERS, v.size());
        assertNull(v.member(peerKey(extra)));
        assertEquals(Change.REJOINED, v.apply(joined(0, 2, "m0")).change(),
                "a member already in may still rejoin when full");
        v.apply(left(1, 1, "m1"));
        assertEquals(Change.JOINED, v.apply(joined(extra, 1, "extra")).change(),
                "a leave makes room");
        assertEquals(RoomView.MAX_MEMBERS, v.size());
    }

    @Test
    void atMostMaxFormerLeavesAreRememberedAndTheOldestIsForgottenFirst() {
        RoomView v = new RoomView();
        for (int m = 0; m < RoomView.MAX_FORMER; m++) {
            RoomView.Applied a = v.apply(left(m, 1, "f" + m));
            assertEquals(Change.TOMBSTONE, a.change());
            assertTrue(a.forgotten().isEmpty());
        }
        assertEquals(RoomView.MAX_FORMER, v.formerSize());
        v.apply(joined(RoomView.MAX_FORMER, 1, "late"));
        RoomView.Applied a = v.apply(left(RoomView.MAX_FORMER, 1, "late"));
        assertEquals(Change.LEFT, a.change());
        assertEquals(List.of(peerKey(0)), a.forgotten());
        assertEquals(RoomView.MAX_FORMER, v.formerSize());
        assertNull(v.record(peerKey(0)));
        assertTrue(v.record(peerKey(1)) != null);
        // a forgotten member's old join is no longer recognised as stale: the bound's price
        assertEquals(Change.JOINED, v.apply(joined(0, 1, "f0")).change());
    }
}
