package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.core.internal.node.Settings;
import org.p2pchat.core.internal.runtime.ManualScheduler;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.ManualTicker;

/**
 * A friend away for hours, with the default settings, on simulated time: the link's timer is a
 * {@link ManualScheduler} that moves the {@link ManualTicker} the link reads, so its ticks, its
 * deadlines and the delays between its connection attempts all follow one clock. Waiting messages
 * reach the friend within about a second of its return, and attempts stay few while it is away.
 */
class ReturningFriendTest {
    private static final PeerAddress BOB = PeerAddress.loopback(7002);
    /** A long delivery timeout, so that the message waits through the whole absence. */
    private static final DeliveryOptions DEFAULTS = new DeliveryOptions(Duration.ofDays(1),
            Settings.DEFAULT_OUTBOX_LIMIT_BYTES, Settings.DEFAULT_RECEIVE_WINDOW_BYTES,
            Settings.DEFAULT_HEARTBEAT_INTERVAL, Settings.DEFAULT_WRITE_DEADLINE,
            Settings.DEFAULT_RECONNECT_DELAY, Settings.DEFAULT_MAX_RECONNECT_DELAY,
            Settings.DEFAULT_MAX_HANDSHAKE_RETRY_DELAY, 1 << 20, Settings.DEFAULT_CLOSE_LINGER, 1L << 30);
    private static final Duration AWAY = Duration.ofHours(3);
    /** What a connect, handshake and ACCEPT take on a LAN, in simulated time. */
    private static final Duration HANDSHAKE = Duration.ofMillis(2);
    /** What "promptly" means here. */
    private static final Duration ABOUT_A_SECOND = Duration.ofSeconds(1);

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler timer = new ManualScheduler(ticker);
    /** How an attempt ends while bob is away. */
    private Supplier<CompletableFuture<Void>> whileAway;
    private long returnsAt = Long.MAX_VALUE;
    private int attempts;
    private FakeLinkSessions.Link session;
    private long connectedAt;

    private final FriendLink link = new FriendLink("bob", DEFAULTS, ticker, timer,
            new FriendLink.Connector() {
                @Override
                public CompletionStage<Void> connect(FriendLink l, PeerAddress address) {
                    attempts++;
                    if (timer.nanos() - returnsAt < 0) {
                        return whileAway.get();
                    }
                    return later(HANDSHAKE, f -> {
                        session = FakeLinkSessions.open(attempts, 7);
                        assertTrue(l.attach(session.session));
                        connectedAt = timer.nanos();
                        f.complete(null);
                    });
                }

                @Override
                public PeerAddress listedAddress(FriendLink link) {
                    return BOB;
                }

                @Override
                public void idle(FriendLink l) {
                }
            }, new Inflow("bob", 1 << 20, new MemoryBudget(1L << 30), false, new ReceiveLedger(null, java.util.List.of())), null, new SplittableRandom(7), SendJournal.NONE);

    private interface Outcome {
        void settle(CompletableFuture<Void> attempt);
    }

    private CompletableFuture<Void> later(Duration after, Outcome outcome) {
        CompletableFuture<Void> attempt = new CompletableFuture<>();
        timer.schedule(() -> outcome.settle(attempt), after.toNanos(), TimeUnit.NANOSECONDS);
        return attempt;
    }

    private static CompletableFuture<Void> refused() {
        return CompletableFuture.failedFuture(new ConnectFailedException(
                "connection refused by 127.0.0.1:7002"));
    }

    private CompletableFuture<Void> timedOut() {
        Duration timeout = TransportOptions.DEFAULT_CONNECT_TIMEOUT;
        return later(timeout, f -> f.completeExceptionally(new ConnectTimeoutException(
                "no answer from 127.0.0.1:7002 within " + timeout)));
    }

    private CompletableFuture<Void> handshakeCut() {
        return later(HANDSHAKE, f -> f.completeExceptionally(new PeerUnreachableException(
                "connection to 127.0.0.1:7002 closed during the handshake")));
    }

    /**
     * Sends a message, lets bob be away for {@link #AWAY}, then brings him back.
     *
     * @return the attempts made while he was away
     */
    private int awayThenBack(CompletableFuture<Void> sent) {
        assertFalse(sent.isDone());
        timer.advance(AWAY);
        int whileAway = attempts;
        returnsAt = timer.nanos();
        for (int ms = 0; ms < 60_000 && session == null; ms++) {
            timer.advance(Duration.ofMillis(1));
        }
        assertNotNull(session, "bob is reached within a minute of his return");
        return whileAway;
    }

    private CompletableFuture<Void> send(String text) {
        return link.send(MessageFrames.KIND_TEXT, text.getBytes(StandardCharsets.UTF_8)).toCompletableFuture();
    }

    /** bob acknowledges as a peer does: his first ACK opens the window, the next one the message. */
    private void bobAcknowledges(CompletableFuture<Void> sent) {
        link.acknowledged(session.session, 0, 1 << 20);
        ByteBuffer data = session.newFrames().get(0);
        assertEquals(MessageFrames.DATA, data.get(), "the waiting message goes out at once");
        link.acknowledged(session.session, 1, 1 << 20);
        assertTrue(sent.isDone() && !sent.isCompletedExceptionally(), "acknowledged");
    }

    private static long seconds(Duration d) {
        return d.toSeconds();
    }

    @Test
    void aMessageWaitingWhileTheFriendIsAwayForHoursReachesItWithinASecondOfItsReturn() {
        whileAway = ReturningFriendTest::refused;
        CompletableFuture<Void> sent = send("are you there?");

        int away = awayThenBack(sent);

        long late = connectedAt - returnsAt;
        assertTrue(late <= ABOUT_A_SECOND.plus(HANDSHAKE).toNanos(),
                "connected " + Duration.ofNanos(late).toMillis() + " ms after bob returned");
        bobAcknowledges(sent);
        // Each refused attempt is one packet each way; at most two a second, whatever the absence.
        assertTrue(away <= 2 * seconds(AWAY) + 10, away + " refused attempts in " + AWAY);
    }

    @Test
    void attemptsThatTimeOutAreSpacedByTheConnectTimeout() {
        whileAway = this::timedOut;
        CompletableFuture<Void> sent = send("are you there?");

        int away = awayThenBack(sent);

        long each = seconds(TransportOptions.DEFAULT_CONNECT_TIMEOUT);
        assertTrue(away <= seconds(AWAY) / each + 10, away + " timed-out attempts in " + AWAY);
        bobAcknowledges(sent);
    }

    @Test
    void attemptsWhoseHandshakeFailsBackOffToTheLongerDelay() {
        whileAway = this::handshakeCut;
        CompletableFuture<Void> sent = send("are you there?");

        int away = awayThenBack(sent);

        long atLeast = seconds(Settings.DEFAULT_MAX_HANDSHAKE_RETRY_DELAY) / 2;
        assertTrue(away <= seconds(AWAY) / atLeast + 20, away + " failed handshakes in " + AWAY);
        long late = connectedAt - returnsAt;
        assertTrue(late <= Settings.DEFAULT_MAX_HANDSHAKE_RETRY_DELAY.plus(HANDSHAKE).toNanos(),
                "connected " + Duration.ofNanos(late).toMillis() + " ms after bob returned");
        bobAcknowledges(sent);
    }
}
