package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMember;

/** Which membership changes are printed, and how: each once, and none that is not news. */
class RoomPresenceTest {
    private final RoomPresence presence = new RoomPresence();
    private final RoomMember carol = member("carol", (byte) 3);
    private final RoomMember alice = member("alice", (byte) 1);

    @Test
    void aNewMemberIsAnnouncedOnceAndItsLeaveToo() {
        presence.entered("general", List.of());
        assertEquals("* carol joined #general", presence.joined("general", carol));
        assertNull(presence.joined("general", carol));
        assertEquals("* carol left #general", presence.left("general", carol));
        assertEquals("* carol joined #general", presence.joined("general", carol));
    }

    @Test
    void anUnreachableMemberThatAnswersAgainIsReachableAgain() {
        presence.entered("general", List.of(carol));
        assertEquals("* carol is unreachable (#general)", presence.failed("general", carol));
        assertEquals("* carol is reachable again (#general)", presence.joined("general", carol));
        assertNull(presence.joined("general", carol));
    }

    @Test
    void membersLearntWhileJoiningAreNotAnnouncedNorThoseListedOnJoining() {
        presence.joining("general");
        assertNull(presence.joined("general", alice));
        presence.entered("general", List.of(alice, carol));
        assertNull(presence.joined("general", carol));
        assertNull(presence.joined("general", alice));
    }

    @Test
    void aRoomLeftForgetsItsMembers() {
        presence.entered("general", List.of(carol));
        presence.gone("general");
        assertEquals("* carol joined #general", presence.joined("general", carol));
    }

    private static RoomMember member(String name, byte fill) {
        byte[] raw = new byte[PeerKey.BYTES];
        Arrays.fill(raw, fill);
        return new RoomMember(name, PeerKey.of(raw), PeerAddress.loopback(7000 + fill),
                MemberState.CONNECTED);
    }
}
