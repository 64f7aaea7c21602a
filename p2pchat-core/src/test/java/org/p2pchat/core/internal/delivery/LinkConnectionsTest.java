package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;

/**
 * Which of a friend's connections carries its messages as they come and go, on {@link
 * FakeLinkSessions}; what the link is told of each change is recorded.
 */
class LinkConnectionsTest {
    /** Each connection the link was told carries its messages from then on; null for none. */
    private final List<LinkSession> carriers = new ArrayList<>();
    private final LinkConnections connections = new LinkConnections(carriers::add, null);
    /** Two connections to the same process of the friend, opened the same way. */
    private final FakeLinkSessions.Link current = FakeLinkSessions.open(1, 100);
    private final FakeLinkSessions.Link spare = FakeLinkSessions.open(2, 100);

    private void add(FakeLinkSessions.Link l, boolean restarted) {
        LinkConnections.Changes changes = new LinkConnections.Changes();
        connections.add(l.session, restarted, changes);
        changes.carryOut("alice");
    }

    private void addCurrentAndSpare() {
        add(current, false);
        add(spare, false);
    }

    /** The current connection closes, as its transport closes it, and is removed. */
    private void lose(FakeLinkSessions.Link l) {
        l.connection.close();
        assertTrue(connections.remove(l.session), "it was the current one");
    }

    @Test
    void aSecondConnectionToTheSameProcessWaitsAsASpare() {
        addCurrentAndSpare();

        assertEquals(List.of(current.session), carriers);
        assertSame(current.session, connections.current());
        assertEquals(2, connections.open());
        assertEquals(0, spare.connection.frameCount(), "a spare is left alone");
    }

    @Test
    void aConnectionFromARestartedFriendAbortsTheConnectionsOfItsOldProcessAndTakesOver() {
        addCurrentAndSpare();
        FakeLinkSessions.Link restarted = FakeLinkSessions.open(3, 200);

        add(restarted, true);

        assertEquals(Reason.LOCAL_CLOSE, current.connection.abortReason().reason());
        assertEquals(Reason.LOCAL_CLOSE, spare.connection.abortReason().reason());
        assertNull(restarted.connection.abortReason());
        assertEquals(Arrays.asList(current.session, restarted.session), carriers);
        assertEquals(1, connections.open());
    }

    @Test
    void whenTheCurrentConnectionClosesAnOpenSpareCarriesOn() {
        addCurrentAndSpare();

        lose(current);
        assertFalse(connections.connected());
        assertSame(spare.session, connections.promoteSpare(), "to be asked for a fresh window");

        assertEquals(Arrays.asList(current.session, null, spare.session), carriers);
        assertTrue(connections.connected());
        assertFalse(connections.none());
    }

    @Test
    void aClosedSpareDoesNotCarryOnAndIsForgotten() {
        addCurrentAndSpare();
        spare.connection.close();

        lose(current);

        assertNull(connections.promoteSpare());
        assertEquals(Arrays.asList(current.session, null), carriers);
        assertTrue(connections.none());
    }

    @Test
    void removingASpareLeavesTheCurrentConnectionCarrying() {
        addCurrentAndSpare();
        spare.connection.close();

        assertFalse(connections.remove(spare.session));

        assertEquals(List.of(current.session), carriers);
        assertEquals(1, connections.open());
    }

    @Test
    void theLastFrameHeardCountsConnectionsThatHaveClosed() {
        assertEquals(Long.MIN_VALUE, connections.lastHeard(), "nothing heard yet");
        add(current, false);
        current.session.heard(50);
        lose(current);

        add(spare, false);
        spare.session.heard(40);
        assertEquals(50, connections.lastHeard());

        spare.session.heard(60);
        assertEquals(60, connections.lastHeard());
    }

    @Test
    void theCallBackAddressKeepsTheLastOneKnown() {
        PeerAddress first = PeerAddress.loopback(7002);
        connections.callBackAt(first);

        connections.callBackAt(null);

        assertEquals(first, connections.callBack());
    }
}
