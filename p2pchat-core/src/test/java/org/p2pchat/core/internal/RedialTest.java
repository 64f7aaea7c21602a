package org.p2pchat.core.internal;

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
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.PeerAddress;

/** Connection attempts to one friend: one at a time, delays while they fail, listed friends only. */
class RedialTest {
    private static final PeerAddress BOB = PeerAddress.loopback(7002);

    private final ManualScheduler timer = new ManualScheduler();
    private final List<CompletableFuture<Void>> attempts = new ArrayList<>();
    private final List<Throwable> outcomes = new ArrayList<>();
    private PeerAddress listed = BOB;
    private boolean wanted = true;
    private final Redial redial = new Redial(this, timer,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new SplittableRandom(1)),
            () -> listed, address -> {
                CompletableFuture<Void> attempt = new CompletableFuture<>();
                attempts.add(attempt);
                return attempt;
            }, () -> wanted, outcomes::add);

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
    void aFriendTheDirectoryDoesNotListIsNeverDialled() {
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
}
