package org.p2pchat.testkit;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Deadline-bounded waits for tests: nothing here waits forever or sleeps a fixed time. */
public final class Await {
    /** How long a test waits for something that should happen promptly. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {
    }

    /**
     * Polls a condition until it holds, failing the test at the deadline.
     *
     * @param what a description for the failure message
     * @param condition the condition
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    /**
     * Polls a condition until it holds, failing the test at the deadline.
     *
     * @param what a description for the failure message
     * @param timeout how long to poll
     * @param condition the condition
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Waits for a stage to complete and returns its value.
     *
     * @param stage the stage
     * @param <T> the value type
     * @return the value
     * @throws AssertionError if it fails or does not complete in time
     */
    public static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + DEFAULT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits for a stage to fail and returns the failure.
     *
     * @param stage the stage
     * @return the exception it failed with (unwrapped)
     * @throws AssertionError if it succeeds or does not complete in time
     */
    public static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected failure, got success: " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + DEFAULT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Takes the next element of a queue, failing the test at the deadline.
     *
     * @param queue the queue
     * @param <T> the element type
     * @return the element
     */
    public static <T> T next(BlockingQueue<T> queue) {
        try {
            T value = queue.poll(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
            if (value == null) {
                throw new AssertionError("nothing arrived within " + DEFAULT);
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
