package org.p2pchat.core.internal.delivery;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.PeerAddress;

/**
 * A {@link FriendLink}'s attempts to open a connection to its friend: at most one at a time, and
 * only while there is an address to call (a listed friend's, or a stranger's call-back address).
 * It remembers the last failure, which explains the messages that time out.
 *
 * <p><b>Pacing.</b> The first attempt, and the first after the friend acknowledged a message,
 * starts at once. After a failure the next one waits a {@link Backoff} delay chosen by what the
 * failure cost:
 * <ul>
 * <li>Nobody answered ({@link ConnectFailedException}: refused, unreachable, unresolved, timed
 *     out). A refusal is one packet each way and a timeout already spaces attempts by the connect
 *     timeout, so these are retried at the short {@code unanswered} pace: a friend that starts
 *     listening again is reached within about its longest delay, however long it was away.
 * <li>The address answered but no working connection came of it: the handshake failed, was cut
 *     or timed out, the connection cap was reached, or a connection opened and was lost before
 *     the friend acknowledged anything. Each such attempt costs both peers a handshake, so these
 *     back off to the longer {@code answered} pace.
 * </ul>
 *
 * <p>Guarded by the link's lock: the link calls every method with it held, and a delayed attempt
 * takes it before it starts. An attempt's outcome goes to {@code ended} with no lock held.
 */
final class Redial {
    private final Object lock;
    private final ScheduledExecutorService timer;
    private final Backoff unanswered;
    private final Backoff answered;
    private final Supplier<PeerAddress> address;
    private final Function<PeerAddress, CompletionStage<Void>> dial;
    private final BooleanSupplier wanted;
    private final Consumer<Throwable> ended;

    private boolean connecting;
    private ScheduledFuture<?> delayed;
    private Throwable lastFailure;
    /** The pace of the last failure; null while the next attempt may start at once. */
    private Backoff pace;

    /**
     * Creates the attempts of one link; none starts before {@link #request}.
     *
     * @param lock the link's lock
     * @param timer runs delayed attempts
     * @param unanswered the delays after attempts nobody answered
     * @param answered the delays after attempts that reached the friend's address but gave no
     *     working connection
     * @param address where to call the friend now, or null if there is nowhere to call
     * @param dial opens a connection; its stage completes when the connection is open
     * @param wanted whether a connection is still needed when a delayed attempt comes due
     *     (called with the lock held)
     * @param ended receives each attempt's failure, or null when it succeeded
     */
    Redial(Object lock, ScheduledExecutorService timer, Backoff unanswered, Backoff answered,
            Supplier<PeerAddress> address, Function<PeerAddress, CompletionStage<Void>> dial,
            BooleanSupplier wanted, Consumer<Throwable> ended) {
        this.lock = lock;
        this.timer = timer;
        this.unanswered = unanswered;
        this.answered = answered;
        this.address = address;
        this.dial = dial;
        this.wanted = wanted;
        this.ended = ended;
    }

    /**
     * Tells whether a failure means that nobody answered at the friend's address, so that trying
     * again soon costs next to nothing.
     *
     * @param failure why an attempt failed
     * @return true for a refused, unreachable, unresolved or timed-out connect
     */
    static boolean unanswered(Throwable failure) {
        // The connection cap is this peer's own limit: retrying fast would not free it.
        return failure instanceof ConnectFailedException
                && !(failure instanceof ConnectionLimitException);
    }

    /** Starts an attempt, now or after the current delay, unless one is under way or due. */
    void request() {
        if (busy() || address.get() == null) {
            return;
        }
        long delay = pace == null ? 0 : pace.nextDelayNanos();
        if (delay == 0) {
            start();
            return;
        }
        try {
            delayed = timer.schedule(this::delayedAttempt, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The node is closing.
        }
    }

    private void delayedAttempt() {
        synchronized (lock) {
            delayed = null;
            if (!connecting && wanted.getAsBoolean()) {
                start();
            }
        }
    }

    private void start() {
        PeerAddress to = address.get();
        if (to == null) {
            return;
        }
        connecting = true;
        dial.apply(to).whenComplete((v, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            synchronized (lock) {
                connecting = false;
                if (cause != null) {
                    lastFailure = cause;
                }
                // An open connection counts as a failed one until the friend acknowledges a
                // message on it (progress): one that is lost before that was a handshake for
                // nothing, and the next attempt waits as after one.
                pace = cause != null && unanswered(cause) ? unanswered : answered;
            }
            ended.accept(cause);
        });
    }

    /**
     * The friend acknowledged a message: it works, so the next attempt after a loss is at once,
     * and earlier failures no longer explain anything.
     */
    void progress() {
        unanswered.reset();
        answered.reset();
        pace = null;
        lastFailure = null;
    }

    /** A connection was lost: the reason explains messages that time out from now on. */
    void lost(Throwable reason) {
        lastFailure = reason;
    }

    /** The last failure to connect, or the reason the last connection closed; may be null. */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** Whether an attempt is under way. */
    boolean connecting() {
        return connecting;
    }

    /** Whether an attempt is under way or due. */
    boolean busy() {
        return connecting || delayed != null;
    }

    /** Cancels a due attempt; the link is closing. */
    void cancel() {
        if (delayed != null) {
            delayed.cancel(false);
            delayed = null;
        }
    }
}
