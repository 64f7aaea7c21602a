package org.p2pchat.core.internal.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.room.Rooms;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node closes: it stops taking messages, lingers for the ones not yet acknowledged, then
 * tears down its links, transport and threads, once, however many threads call {@link #close}.
 *
 * <p>Thread-safe. Any thread may call it; on one of the node's own threads ({@link NodeThreads})
 * {@link #close} does not block, and the linger and teardown run on the node's timer.
 */
final class NodeClosing {
    // The node's logger: what a user sees of closing is the node's, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);

    private final String name;
    private final Rooms rooms;
    private final LinkTable links;
    private final Transport transport;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService ownedExecutor;
    private final Duration linger;
    private final Duration closeTimeout;
    private final org.p2pchat.spi.MessageStore store;
    /** Set by the first {@link #close}: from then on sends fail at once. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set when closing stops lingering and tears everything down. */
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Completed once everything is torn down. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /**
     * Prepares the closing of a node's parts, which it owns from now on.
     *
     * @param ownedExecutor the listener's executor if the node created it and must shut it down,
     *     else null
     * @param linger how long to wait for acknowledgements ({@code p2pchat.closeLinger})
     * @param closeTimeout how long the transport may take to close
     * @param store the node's store, closed last
     */
    NodeClosing(String name, Rooms rooms, LinkTable links, Transport transport,
            ScheduledThreadPoolExecutor timer, ExecutorService ownedExecutor, Duration linger,
            Duration closeTimeout, org.p2pchat.spi.MessageStore store) {
        this.name = name;
        this.store = store;
        this.rooms = rooms;
        this.links = links;
        this.transport = transport;
        this.timer = timer;
        this.ownedExecutor = ownedExecutor;
        this.linger = linger;
        this.closeTimeout = closeTimeout;
    }

    /** Whether {@link #close} was called. */
    boolean isClosed() {
        return closed.get();
    }

    /** What a message sent now that the node is closing fails with. */
    PeerClosedException refusal() {
        return new PeerClosedException(finished.get() ? name + " is closed"
                : name + " is closing: close() was called, so it takes no new message");
    }

    /** See {@link ChatNode#close()}. */
    void close() {
        boolean ownThread = NodeThreads.current();
        if (!closed.compareAndSet(false, true)) {
            if (!ownThread) {
                awaitTermination();
            }
            return;
        }
        // Members are told of the leave before the links stop taking messages: they report a
        // leave, not a failure, and the announcements go out during the linger.
        rooms.close();
        PeerClosedException refusal = refusal();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        links.all().forEach(l -> l.stopAccepting(refusal, pending));
        CompletableFuture<Void> drained =
                CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        if (ownThread) {
            // This may be the thread the acknowledgements arrive on: linger without it.
            drained.whenComplete((v, e) -> finishOnTimer());
            try {
                timer.schedule(this::finish, linger.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // finish() ran already: it shut the timer down.
            }
            return;
        }
        try {
            drained.get(linger.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Some failed (they are settled all the same), or the linger is over.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish();
    }

    private void finishOnTimer() {
        try {
            timer.execute(this::finish);
        } catch (RejectedExecutionException e) {
            // finish() ran already: it shut the timer down.
        }
    }

    /** Fails what the linger left, closes the transport and stops the node's threads; once. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        // Stage callbacks run here: one that calls close() again must not wait for this.
        NodeThreads.runMarked(() -> {
            // An interrupted closer still gives the transport its close timeout.
            boolean interrupted = Thread.interrupted();
            try {
                for (FriendLink l : links.all()) {
                    l.close(new PeerClosedException(name + " closed before " + l.friend()
                            + " acknowledged this message, within the close linger of "
                            + linger + " (p2pchat.closeLinger)"));
                }
                transport.close();
                timer.shutdownNow();
                // After the transport: no acknowledgement can arrive to be written any more.
                store.close();
                if (ownedExecutor != null) {
                    ownedExecutor.shutdown();
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                terminated.complete(null);
            }
        });
        LOG.info("{} closed", name);
    }

    /** A second close() waits for the first, which ends within the linger and close timeout. */
    private void awaitTermination() {
        Duration bound = linger.plus(closeTimeout).plusSeconds(1);
        try {
            terminated.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: an earlier close() did not finish within {}", name, bound);
        }
    }
}
