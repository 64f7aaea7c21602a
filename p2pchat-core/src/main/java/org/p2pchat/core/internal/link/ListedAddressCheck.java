package org.p2pchat.core.internal.link;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.spi.Transport;

/**
 * Binds the names of the directory to the directory's addresses. When a caller claims the name
 * of a listed friend whose key this peer does not know yet, its word is not enough: this peer
 * asks the friend's listed address for its key ({@link KeyProbe}) and accepts the caller only if
 * the two keys are the same, which also makes the key known from then on. So a stranger who
 * calls first with a friend's name takes nothing, and the real friend, calling from anywhere, is
 * accepted. Concurrent callers claiming one name share one probe. Thread-safe.
 */
public final class ListedAddressCheck {
    private final LinkNode node;
    private final Transport transport;
    private final ScheduledExecutorService timer;
    private final Duration deadline;
    /** What to do with a key found at a listed address: trust it, as if called there. */
    private final BiConsumer<String, PeerKey> learnt;
    private final ConcurrentHashMap<String, CompletableFuture<PeerKey>> probes =
            new ConcurrentHashMap<>();

    public ListedAddressCheck(LinkNode node, Transport transport, ScheduledExecutorService timer,
            Duration deadline, BiConsumer<String, PeerKey> learnt) {
        this.node = node;
        this.transport = transport;
        this.timer = timer;
        this.deadline = deadline;
        this.learnt = learnt;
    }

    /**
     * Checks a caller's key against the key at the address listed for the name it claims.
     *
     * @param friend the listed name the caller claims
     * @param listed the address the directory lists for it
     * @param presented the key the caller proved it holds
     * @return completes when the keys are the same (the key is then trusted), or fails with a
     *     {@link PeerIdentityException} saying why the caller cannot be accepted
     */
    CompletionStage<Void> confirm(String friend, PeerAddress listed, PeerKey presented) {
        CompletableFuture<PeerKey> fresh = new CompletableFuture<>();
        CompletableFuture<PeerKey> probe = probes.putIfAbsent(friend, fresh);
        if (probe == null) {
            probe = fresh;
            fresh.whenComplete((key, failure) -> probes.remove(friend, fresh));
            start(friend, listed, fresh);
        }
        return probe.handle((key, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(new PeerIdentityException(node.name()
                        + " could not confirm " + friend + "'s key at the address its user_info"
                        + " table lists, " + listed + " (" + cause.getMessage() + "); a key pinned"
                        + " there is accepted from anywhere", cause));
            }
            learnt.accept(friend, key);
            if (!key.equals(presented)) {
                throw new CompletionException(new PeerIdentityException("'" + friend
                        + "' presented key " + presented.fingerprint() + ", but the peer at the"
                        + " address " + node.name() + " lists for " + friend + " holds another"));
            }
            return null;
        });
    }

    private void start(String friend, PeerAddress listed, CompletableFuture<PeerKey> found) {
        KeyProbe probe = new KeyProbe(node, friend, found);
        transport.connect(listed, probe).whenComplete((connection, error) -> {
            if (error != null) {
                found.completeExceptionally(error);
            } else {
                probe.start(connection, timer, deadline);
            }
        });
    }
}
