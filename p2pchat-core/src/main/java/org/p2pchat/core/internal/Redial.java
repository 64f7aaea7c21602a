package org.p2pchat.core.internal;

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
import org.p2pchat.api.PeerAddress;

/**
 * A {@link FriendLink}'s attempts to open a connection to its friend: at most one at a time, the
 * first at once, each next one after a {@link Backoff} delay while attempts fail, and only to a
 * friend the directory lists (the others can only call). It remembers the last failure, which
 * explains the messages that time out.
 *
 * <p>Guarded by the link's lock: the link calls every method with it held, and a delayed attempt
 * takes it before it starts. An attempt's outcome goes to {@code ended} with no lock held.
 */
final class Redial {
    private final Object lock;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Supplier<PeerAddress> address;
    private final Function<PeerAddress, CompletionStage<Void>> dial;
    private final BooleanSupplier wanted;
    private final Consumer<Throwable> ended;

    private boolean connecting;
    private ScheduledFuture<?> delayed;
    private Throwable lastFailure;

    /**
     * Creates the attempts of one link; none starts before {@link #request}.
     *
     * @param lock the link's lock
     * @param timer runs delayed attempts
     * @param backoff the delays between failed attempts
     * @param address where the friend listens now, or null if it is not listed
     * @param dial opens a connection; its stage completes when the connection is open
     * @param wanted whether a connection is still needed when a delayed attempt comes due
     *     (called with the lock held)
     * @param ended receives each attempt's failure, or null when it succeeded
     */
    Redial(Object lock, ScheduledExecutorService timer, Backoff backoff,
            Supplier<PeerAddress> address, Function<PeerAddress, CompletionStage<Void>> dial,
            BooleanSupplier wanted, Consumer<Throwable> ended) {
        this.lock = lock;
        this.timer = timer;
        this.backoff = backoff;
        this.address = address;
        this.dial = dial;
        this.wanted = wanted;
        this.ended = ended;
    }

    /** Starts an attempt, now or after the current delay, unless one is under way or due. */
    void request() {
        if (busy() || address.get() == null) {
            return;
        }
        long delay = backoff.nextDelayNanos();
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
            }
            ended.accept(cause);
        });
    }

    /**
     * The friend acknowledged a message: it works, so the next attempt after a loss is at once,
     * and earlier failures no longer explain anything.
     */
    void progress() {
        backoff.reset();
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
