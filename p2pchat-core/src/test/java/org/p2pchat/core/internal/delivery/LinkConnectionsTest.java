package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.ManualTicker;

/**
 * Which of a friend's connections carries its messages, as {@link LinkConnections} decides when
 * they come and go; driven through the link that owns them, with {@link FakeLinkSessions} (the
 * link's timer refuses every task, so nothing happens behind the test's back).
 */
class LinkConnectionsTest {
    private static final DeliveryOptions DEFAULTS = new DeliveryOptions(Duration.ofSeconds(30),
            1 << 20, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), 1 << 20,
            Duration.ofSeconds(5), 1L << 30);
    private static final ConnectionClosedException LOST =
            new ConnectionClosedException(Reason.REMOTE_CLOSE, "alice went away");

    private final ScheduledExecutorService refusingTimer = new ScheduledThreadPoolExecutor(1);
    private final FriendLink link;

    LinkConnectionsTest() {
        refusingTimer.shutdown();
        FriendLink.Connector strangerOnly = new FriendLink.Connector() {
            @Override
            public CompletionStage<Void> connect(FriendLink l, PeerAddress address) {
                throw new AssertionError("alice is not listed: the link never dials");
            }

            @Override
            public PeerAddress listedAddress(FriendLink l) {
                return null;
            }

            @Override
            public void idle(FriendLink l) {
            }
        };
        link = new FriendLink("alice", DEFAULTS, new ManualTicker(), refusingTimer, strangerOnly,
                new Inflow("alice", 1 << 20, new MemoryBudget(1L << 30), false,
                        new ReceiveLedger(null, List.of())),
                null, new SplittableRandom(1), SendJournal.NONE);
    }

    @AfterEach
    void close() {
        refusingTimer.shutdownNow();
    }

    private static List<Byte> newTypes(FakeLinkSessions.Link l) {
        List<Byte> types = new ArrayList<>();
        for (ByteBuffer f : l.newFrames()) {
            types.add(f.get());
        }
        return types;
    }

    /** Closes a connection as its transport would, and tells the link. */
    private void lose(FakeLinkSessions.Link l) {
        l.connection.close();
        link.detach(l.session, LOST);
    }

    @Test
    void aConnectionFromARestartedFriendAbortsTheConnectionsOfItsOldProcess() {
        FakeLinkSessions.Link old = FakeLinkSessions.open(1, 100);
        FakeLinkSessions.Link spare = FakeLinkSessions.open(2, 100);
        FakeLinkSessions.Link restarted = FakeLinkSessions.open(3, 200);
        assertTrue(link.attach(old.session));
        assertTrue(link.attach(spare.session));

        assertTrue(link.attach(restarted.session));

        assertEquals(Reason.LOCAL_CLOSE, old.connection.abortReason().reason());
        assertEquals(Reason.LOCAL_CLOSE, spare.connection.abortReason().reason());
        assertNull(restarted.connection.abortReason());
        assertEquals(1, link.openConnections());
        assertTrue(link.connected());
    }

    @Test
    void whenTheCurrentConnectionClosesAnOpenSpareCarriesOnAndIsAskedForAFreshWindow() {
        FakeLinkSessions.Link current = FakeLinkSessions.open(1, 100);
        FakeLinkSessions.Link spare = FakeLinkSessions.open(2, 100);
        assertTrue(link.attach(current.session));
        assertTrue(link.attach(spare.session));
        assertEquals(List.of(), newTypes(spare), "a spare is left alone");

        lose(current);

        assertEquals(List.of(MessageFrames.PING), newTypes(spare));
        assertTrue(link.connected());
        assertEquals(1, link.openConnections());
    }

    @Test
    void aClosedSpareIsNotPromoted() {
        FakeLinkSessions.Link current = FakeLinkSessions.open(1, 100);
        FakeLinkSessions.Link spare = FakeLinkSessions.open(2, 100);
        assertTrue(link.attach(current.session));
        assertTrue(link.attach(spare.session));
        spare.connection.close();

        lose(current);

        assertEquals(List.of(), newTypes(spare));
        assertFalse(link.connected());
        assertEquals(0, link.openConnections());
    }

    @Test
    void theLastFrameHeardCountsConnectionsThatHaveClosed() {
        assertEquals(Long.MIN_VALUE, link.lastHeard(), "nothing heard yet");
        FakeLinkSessions.Link first = FakeLinkSessions.open(1, 100);
        assertTrue(link.attach(first.session));
        first.session.heard(50);
        lose(first);

        FakeLinkSessions.Link second = FakeLinkSessions.open(2, 100);
        assertTrue(link.attach(second.session));
        second.session.heard(40);

        assertEquals(50, link.lastHeard());
        second.session.heard(60);
        assertEquals(60, link.lastHeard());
    }
}
