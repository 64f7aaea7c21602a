package org.p2pchat.examples;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.examples.console.ChatConsole;

/**
 * Follows each message the user typed until the friend acknowledges it or it fails, and tells
 * the user what became of it, so that nothing happens in silence:
 *
 * <ul>
 *   <li>a message still unacknowledged after the wait notice delay prints one notice for its
 *       friend, with the reason when one is known: {@code * bob is not reachable yet (connection
 *       refused at 127.0.0.1:7002); messages to bob wait and are retried until the delivery
 *       timeout}, or {@code * bob answers but the session fails (...); ...}. The next notice for
 *       that friend comes only after one of its sends has completed;</li>
 *   <li>a message that waited that long and is then acknowledged prints
 *       {@code * delivered to bob: "are you there?"}; several acknowledged together print one
 *       line, {@code * delivered to bob: "are you there?" and 2 more};</li>
 *   <li>a failure prints its {@link SendFailures} line; a refusal that fails several messages at
 *       once prints one line for all of them.</li>
 * </ul>
 *
 * <p><b>Threading:</b> {@link #follow} is called on the input thread; everything printed is
 * printed on the {@code reports} executor.
 */
final class SendOutcomes {
    /** How long the acknowledgements or refusals that arrive together are gathered into a line. */
    static final Duration GROUPING_WINDOW = Duration.ofMillis(100);

    private final Peer peer;
    private final ChatConsole console;
    private final Executor reports;
    private final Executor waitNotices;
    /** Friends whose wait has been announced and none of whose sends has completed since. */
    private final Set<String> waitAnnounced = ConcurrentHashMap.newKeySet();
    /** Set once the user leaves: "retried until the delivery timeout" is no longer true then. */
    private volatile boolean leaving;
    private final Coalescing<String, String> delivered;
    private final Coalescing<Refusal, String> refused;

    /** One typed message on its way. */
    private static final class Tracked {
        final String friend;
        final PeerAddress address;
        final String text;
        /** Set once the user has been told that this message waits; read on completion. */
        volatile boolean announced;

        Tracked(String friend, PeerAddress address, String text) {
            this.friend = friend;
            this.address = address;
            this.text = text;
        }
    }

    /** The messages failed by one refusal share its friend and its explanation. */
    private record Refusal(String friend, String why) {
    }

    /**
     * Creates the tracker of one session.
     *
     * @param peer the running peer
     * @param console where the lines go
     * @param reports runs everything that prints
     * @param waitNoticeDelay how long a send waits before the user is told
     */
    SendOutcomes(Peer peer, ChatConsole console, Executor reports, Duration waitNoticeDelay) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.console = Objects.requireNonNull(console, "console");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.waitNotices = CompletableFuture.delayedExecutor(waitNoticeDelay.toNanos(),
                TimeUnit.NANOSECONDS, reports);
        this.delivered = new Coalescing<>(GROUPING_WINDOW, reports, (friend, texts) ->
                console.println("* delivered to " + friend + ": " + Excerpt.ofAll(texts)));
        this.refused = new Coalescing<>(GROUPING_WINDOW, reports, (refusal, texts) ->
                console.println(SendFailures.refused(refusal.why(), texts)));
    }

    /**
     * Follows a send: reports its outcome, and that it waits if it does.
     *
     * @param friend who the message is for
     * @param address where the friend listens, or null for a peer not in the directory
     * @param text the message
     * @param sent the send's stage
     * @return completes once the outcome has been reported (a failure too, or a delivery that
     *     needs no line); never if the session has ended and the reports executor refuses work
     */
    CompletableFuture<Void> follow(String friend, PeerAddress address, String text,
            CompletableFuture<Void> sent) {
        Tracked tracked = new Tracked(friend, address, text);
        if (!sent.isDone()) {
            // After the session has ended the reports executor refuses the task; it is dropped.
            waitNotices.execute(() -> waited(tracked, sent));
        }
        return sent.handleAsync((ok, failure) -> report(tracked, failure), reports)
                .thenCompose(Function.identity());
    }

    /** The user is leaving: no more wait notices (the close linger decides now). */
    void leaving() {
        leaving = true;
    }

    /** Runs on the reports executor when a send completes; completes when its line is out. */
    private CompletableFuture<Void> report(Tracked tracked, Throwable failure) {
        waitAnnounced.remove(tracked.friend);
        if (failure == null) {
            return tracked.announced ? delivered.add(tracked.friend, tracked.text)
                    : CompletableFuture.completedFuture(null);
        }
        if (SendFailures.isClosing(failure)) {
            return CompletableFuture.completedFuture(null);
        }
        PeerIdentityException refusal = SendFailures.refusal(failure);
        if (refusal != null) {
            return refused.add(new Refusal(tracked.friend, String.valueOf(refusal.getMessage())),
                    tracked.text);
        }
        console.println(SendFailures.describe(tracked.friend, tracked.address, tracked.text,
                failure));
        return CompletableFuture.completedFuture(null);
    }

    /** Runs on the reports executor once a send has waited the notice delay. */
    private void waited(Tracked tracked, CompletableFuture<Void> sent) {
        if (sent.isDone() || leaving) {
            return;
        }
        // Covered by this notice or by the friend's earlier one, which still stands.
        tracked.announced = true;
        if (waitAnnounced.add(tracked.friend)) {
            console.println(waitingLine(tracked.friend, tracked.address,
                    peer.connectionState(tracked.friend) == ConnectionState.CONNECTED,
                    peer.connectionFailure(tracked.friend).orElse(null)));
        }
    }

    /**
     * Formats the notice that messages to a friend are waiting for its acknowledgement.
     *
     * @param friend the friend
     * @param address where the friend listens, or null for a peer not in the directory
     * @param connected whether a connection to the friend is open (then it is not reading, or
     *     its acknowledgements are slow)
     * @param failure why the last attempt to reach the friend failed, or null if none has
     * @return the line to print
     */
    static String waitingLine(String friend, PeerAddress address, boolean connected,
            Throwable failure) {
        if (connected) {
            return "* " + friend + " has not confirmed your message yet; it waits until the"
                    + " delivery timeout";
        }
        String who = failure == null ? friend + " is not reachable yet"
                : SendFailures.situation(friend, address, failure, "is not reachable yet");
        return "* " + who + "; messages to " + friend + " wait and are retried until the delivery"
                + " timeout";
    }
}
