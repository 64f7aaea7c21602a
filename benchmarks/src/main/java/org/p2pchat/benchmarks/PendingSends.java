package org.p2pchat.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The send futures of the messages one sender has handed to {@link org.p2pchat.api.Peer#send},
 * numbered in order, until each is seen completed: the sender's view of what its friend has not
 * acknowledged yet. Completions are observed by polling and waiting, never by callbacks, so the
 * network thread that completes a future does no benchmark work.
 *
 * <p>A message is <i>settled</i> once its future has been seen completed normally; settling goes
 * strictly in order, so "the first {@code n} messages are settled" means every one of their
 * futures completed. A future that failed is reported at once ({@link IllegalStateException} with
 * the failure as its cause), and every wait is bounded.
 *
 * <p>Not thread-safe: used by the one thread that sends.
 */
final class PendingSends {
    /**
     * The longest wait for one future. Above the delivery timeout the benchmark peers use, so a
     * message the library gave up on fails with its own {@code DeliveryTimeoutException} first,
     * and this bound only catches a future that never completes at all.
     */
    static final long WAIT_SECONDS = 20;

    private final String what;
    private final CompletableFuture<?>[] ring;
    /** The number of the next message added. */
    private long next;
    /** Every message numbered below this has been seen completed normally. */
    private long settled;

    /**
     * Creates an empty record.
     *
     * @param what whose sends, for error messages
     * @param capacity the most messages it holds unsettled
     */
    PendingSends(String what, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expected a capacity of 1 or more, got " + capacity);
        }
        this.what = what;
        this.ring = new CompletableFuture<?>[capacity];
    }

    /**
     * Records the future of the next message sent.
     *
     * @param sent its future
     * @throws IllegalStateException if the record is full: settle some first
     */
    void add(CompletableFuture<?> sent) {
        if (next - settled >= ring.length) {
            throw new IllegalStateException(what + ": more than " + ring.length
                    + " sends outstanding");
        }
        ring[slot(next)] = sent;
        next++;
    }

    /**
     * Returns how many messages have been added.
     *
     * @return the number of the next message
     */
    long added() {
        return next;
    }

    /**
     * Returns how many messages are added and not yet seen completed; call {@link #poll} first
     * for an up-to-date figure.
     *
     * @return the messages outstanding
     */
    long outstanding() {
        return next - settled;
    }

    /**
     * Returns whether {@link #add} has room.
     *
     * @return true if the record holds as many unsettled messages as it can
     */
    boolean isFull() {
        return next - settled >= ring.length;
    }

    /**
     * Settles, without waiting, the messages at the front whose futures have completed.
     *
     * @return the number of messages settled so far
     * @throws IllegalStateException if one of them failed
     */
    long poll() {
        while (settled < next) {
            CompletableFuture<?> f = ring[slot(settled)];
            if (!f.isDone()) {
                break;
            }
            settle(f, settled);
        }
        return settled;
    }

    /**
     * Waits until at least the first {@code target} messages are settled. It waits for the last of
     * them first (acknowledgements are cumulative, so the earlier ones are then usually done), then
     * checks each in order.
     *
     * @param target how many messages must be settled, at most {@link #added()}
     * @throws IllegalStateException if a future failed, or one is still not completed after
     *     {@value #WAIT_SECONDS} s
     */
    void awaitSettled(long target) {
        if (target > next) {
            throw new IllegalArgumentException("cannot settle " + target + " of " + next + " sends");
        }
        if (settled >= target) {
            return;
        }
        await(ring[slot(target - 1)], target - 1);
        while (settled < target) {
            CompletableFuture<?> f = ring[slot(settled)];
            await(f, settled);
            settle(f, settled);
        }
    }

    /**
     * Waits until half of what is outstanding is settled (at least one message): after a send was
     * refused because too much is unacknowledged, this makes room without draining the pipeline.
     *
     * @return the number of messages settled so far
     * @throws IllegalStateException if nothing is outstanding (nothing can make room), or as
     *     {@link #awaitSettled}
     */
    long awaitHalf() {
        long front = poll();
        long outstanding = next - front;
        if (outstanding == 0) {
            throw new IllegalStateException(what + ": no send is outstanding, so waiting cannot"
                    + " make room");
        }
        awaitSettled(front + Math.max(1, outstanding / 2));
        return settled;
    }

    private void await(CompletableFuture<?> f, long number) {
        try {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw failed(number, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": message " + number + " not acknowledged"
                    + " after " + WAIT_SECONDS + " s (" + (next - settled) + " outstanding, "
                    + settled + " acknowledged); its future never completed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted waiting for message " + number, e);
        }
    }

    private void settle(CompletableFuture<?> f, long number) {
        if (f.isCompletedExceptionally()) {
            try {
                f.join();
            } catch (RuntimeException e) {
                throw failed(number, e.getCause() != null ? e.getCause() : e);
            }
        }
        ring[slot(number)] = null;
        settled = number + 1;
    }

    private IllegalStateException failed(long number, Throwable cause) {
        return new IllegalStateException(what + ": message " + number + " failed: " + cause, cause);
    }

    private int slot(long number) {
        return (int) (number % ring.length);
    }
}
