package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.runtime.ManualScheduler;

/**
 * Connection attempts to one friend: one at a time, a short pace while nobody answers and a
 * longer one while handshakes fail, only while there is an address to call.
 */
class RedialTest {
    private static final PeerAddress BOB = PeerAddress.loopback(7002);
    private static final Duration MAX_UNANSWERED = Duration.ofSeconds(1);
    private static final Duration MAX_ANSWERED = Duration.ofSeconds(10);
    private static final long MS = 1_000_000;

    private final ManualScheduler timer = new ManualScheduler();
    private final List<CompletableFuture<Void>> attempts = new ArrayList<>();
    private final List<Throwable> outcomes = new ArrayList<>();
    private PeerAddress listed = BOB;
    private boolean wanted = true;
    /** What each attempt returns; by default a stage the test completes by hand. */
    private Supplier<CompletableFuture<Void>> answer = CompletableFuture::new;
    private final Redial redial = new Redial(this, timer,
            new Backoff(Duration.ofMillis(100), MAX_UNANSWERED, new SplittableRandom(1)),
            new Backoff(Duration.ofMillis(100), MAX_ANSWERED, new SplittableRandom(2)),
            () -> listed, address -> {
                CompletableFuture<Void> attempt = answer.get();
                attempts.add(attempt);
                return attempt;
            }, () -> wanted, outcomes::add);

    /** Fails the attempt under way, then asks for the next one, as the link does. */
    private long failAndRequest(Throwable cause) {
        attempts.get(attempts.size() - 1).completeExceptionally(cause);
        redial.request();
        List<Long> delays = timer.delaysMillis();
        return delays.get(delays.size() - 1);
    }

    @Test
    void theFirstAttemptStartsAtOnceAndASecondRequestWaitsForIt() {
        redial.request();
        assertEquals(1, attempts.size());
        assertTrue(redial.connecting() && redial.busy());
        redial.request();
        assertEquals(1, attempts.size(), "one attempt at a time");
        attempts.get(0).complete(null);
        assertFalse(redial.busy());
        assertEquals(1, outcomes.size());
        assertNull(outcomes.get(0), "success");
    }

    @Test
    void afterAFailureTheNextAttemptWaitsItsDelayAndTheFailureIsKept() {
        redial.request();
        ConnectFailedException refused = new ConnectFailedException("connection refused");
        attempts.get(0).completeExceptionally(new CompletionException(refused));
        assertSame(refused, outcomes.get(0), "unwrapped");
        assertSame(refused, redial.lastFailure());

        redial.request();
        assertEquals(1, attempts.size(), "not at once");
        assertTrue(redial.busy() && !redial.connecting(), "due");
        long delay = timer.delaysMillis().get(0);
        assertTrue(delay >= 50 && delay <= 100, "in the upper half of the first step: " + delay);
        timer.runPending();
        assertEquals(2, attempts.size());
    }

    @Test
    void aDueAttemptIsDroppedIfTheConnectionIsNoLongerNeeded() {
        redial.request();
        attempts.get(0).completeExceptionally(new ConnectFailedException("refused"));
        redial.request();
        wanted = false; // a connection from the friend arrived meanwhile
        timer.runPending();
        assertEquals(1, attempts.size());
        assertFalse(redial.busy());
    }

    @Test
    void progressMakesTheNextAttemptImmediateAgain() {
        redial.request();
        attempts.get(0).completeExceptionally(new ConnectFailedException("refused"));
        redial.progress();
        redial.request();
        assertEquals(2, attempts.size());
    }

    @Test
    void aFriendWithNoAddressToCallIsNeverDialled() {
        listed = null;
        redial.request();
        assertEquals(0, attempts.size());
        assertFalse(redial.busy());
    }

    @Test
    void aLostConnectionIsTheLastFailureUntilAnAttemptFails() {
        IllegalStateException lost = new IllegalStateException("connection reset");
        redial.lost(lost);
        assertSame(lost, redial.lastFailure());
        redial.request();
        attempts.get(0).complete(null);
        assertSame(lost, redial.lastFailure(), "a success leaves it");
    }

    @Test
    void nobodyAnsweringIsRetriedAtLeastEverySecondWhileFailedHandshakesBackOffToTenSeconds() {
        redial.request();
        long longest = 0;
        for (int i = 0; i < 30; i++) {
            long delay = failAndRequest(new ConnectFailedException("connection refused"));
            assertTrue(delay <= MAX_UNANSWERED.toMillis(), "refused: " + delay + " ms");
            longest = Math.max(longest, delay);
            timer.runPending();
        }
        assertTrue(longest >= MAX_UNANSWERED.toMillis() / 2, "reaches its maximum: " + longest);

        longest = 0;
        for (int i = 0; i < 30; i++) {
            long delay = failAndRequest(new PeerUnreachableException("connection to 127.0.0.1:7002"
                    + " closed during the handshake"));
            assertTrue(delay <= MAX_ANSWERED.toMillis(), "handshake cut: " + delay + " ms");
            longest = Math.max(longest, delay);
            timer.runPending();
        }
        assertTrue(longest >= MAX_ANSWERED.toMillis() / 2, "reaches its maximum: " + longest);
    }

    @Test
    void onlyAConnectThatNobodyAnsweredCountsAsCheap() {
        assertTrue(Redial.unanswered(new ConnectFailedException("connection refused")));
        assertTrue(Redial.unanswered(new ConnectTimeoutException("no answer within 10s")));
        assertFalse(Redial.unanswered(new ConnectionLimitException("64 connections are open")),
                "this peer's own cap");
        assertFalse(Redial.unanswered(new PeerUnreachableException("handshake timed out")));
        assertFalse(Redial.unanswered(new ProtocolException("HELLO of protocol version 2")));
        assertFalse(Redial.unanswered(new PeerIdentityException("bob refused this peer")));
    }

    @Test
    void aConnectionLostBeforeTheFriendAcknowledgedAnythingDelaysTheNextAttemptLikeAFailedHandshake() {
        redial.request();
        attempts.get(0).complete(null);
        redial.lost(new IllegalStateException("connection reset"));
        redial.request();
        assertEquals(1, attempts.size(), "not at once: the connection carried nothing");
        long delay = timer.delaysMillis().get(0);
        assertTrue(delay >= 50 && delay <= 100, "the answered pace's first step: " + delay);

        timer.runPending();
        attempts.get(1).complete(null);
        redial.progress();
        redial.lost(new IllegalStateException("connection reset"));
        redial.request();
        assertEquals(3, attempts.size(), "at once after a connection that delivered");
    }

    @Test
    void aFriendAwayForHoursIsTriedAtABoundedRateAndReachedWithinASecondOfItsReturn() {
        long away = Duration.ofHours(3).toNanos();
        answer = () -> timer.nanos() < away
                ? CompletableFuture.failedFuture(new ConnectFailedException("connection refused"))
                : CompletableFuture.completedFuture(null);
        redial.request();
        for (int i = 0; i < 100_000 && outcomes.get(outcomes.size() - 1) != null; i++) {
            redial.request(); // the link asks again after each failure
            assertTrue(timer.runNext(), "an attempt is due");
        }
        assertNull(outcomes.get(outcomes.size() - 1), "reached");
        long reachedAfterReturn = timer.nanos() - away;
        assertTrue(reachedAfterReturn >= 0 && reachedAfterReturn <= MAX_UNANSWERED.toNanos(),
                "reached " + reachedAfterReturn / MS + " ms after it returned");
        // Delays of at least half the maximum: at most two attempts a second, at least one.
        long seconds = Duration.ofNanos(away).toSeconds();
        assertTrue(attempts.size() <= 2 * seconds + 10, attempts.size() + " attempts in "
                + seconds + " s");
        assertTrue(attempts.size() >= seconds, attempts.size() + " attempts in " + seconds + " s");
    }
}
