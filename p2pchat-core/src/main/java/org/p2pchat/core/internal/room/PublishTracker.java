package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomDeliveryException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessageId;

/**
 * The outcome of one publish: the members it waits for, each settled by its acknowledgement, by
 * its failure (the delivery timeout), or by its leave. Completes once all are settled: with the
 * id if none failed, else with a {@link RoomDeliveryException} naming those that did not
 * acknowledge. Thread-safe.
 */
final class PublishTracker {
    private final RoomMessageId id;
    private final String room;
    private final Map<PeerKey, RoomMember> waiting = new HashMap<>();
    private final List<RoomMember> missing = new ArrayList<>();
    private final CompletableFuture<RoomMessageId> done = new CompletableFuture<>();
    private Throwable firstFailure;

    PublishTracker(RoomMessageId id, String room, List<RoomMember> members) {
        this.id = id;
        this.room = room;
        for (RoomMember m : members) {
            waiting.put(m.key(), m);
        }
        if (waiting.isEmpty()) {
            done.complete(id);
        }
    }

    CompletableFuture<RoomMessageId> stage() {
        return done;
    }

    /** The member acknowledged the message, or left: nothing more to wait for from it. */
    void settled(PeerKey member) {
        finish(member, null);
    }

    /** The member's link gave up on the message. */
    void failed(PeerKey member, Throwable cause) {
        finish(member, cause);
    }

    private void finish(PeerKey member, Throwable cause) {
        RoomDeliveryException failure = null;
        synchronized (this) {
            RoomMember m = waiting.remove(member);
            if (m == null) {
                return;
            }
            if (cause != null) {
                missing.add(m);
                if (firstFailure == null) {
                    firstFailure = cause;
                }
            }
            if (!waiting.isEmpty()) {
                return;
            }
            if (!missing.isEmpty()) {
                List<String> names = new ArrayList<>();
                missing.forEach(x -> names.add(x.name()));
                failure = new RoomDeliveryException("room message " + id + " in #" + room
                        + " was not acknowledged by " + String.join(", ", names)
                        + " (first failure: " + firstFailure.getMessage() + "); other members may"
                        + " still forward it to them", missing);
                failure.initCause(firstFailure);
            }
        }
        if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete(id);
        }
    }
}
