package org.p2pchat.core.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.core.internal.session.SecureChannel;

/**
 * Everything a peer knows about its connections to one friend: the connection messages go out
 * on, other open connections to the same friend (when both sides connected at once), and the
 * messages waiting while a connection is being opened.
 *
 * <p>Messages to one friend keep their order: while a connection is being opened, new messages
 * queue behind the waiting ones, and once a connection carries messages it stays the one they go
 * out on until it closes. Thread-safe: senders and the event loop synchronize on the link.
 */
final class FriendLink {
    private final String friend;
    private final PeerAddress address;
    private SecureChannel current;
    private final List<SecureChannel> spares = new ArrayList<>(1);
    private boolean connecting;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private record Pending(ByteBuffer frame, CompletableFuture<Void> done) {
    }

    /**
     * Creates a link.
     *
     * @param friend the friend's name
     * @param address where the friend listens, or null for a friend known only by an inbound
     *     connection (not in the directory)
     */
    FriendLink(String friend, PeerAddress address) {
        this.friend = friend;
        this.address = address;
    }

    String friend() {
        return friend;
    }

    /**
     * Sends a frame on the current connection, or queues it behind a connection being opened,
     * opening one if there is none.
     *
     * @param frame the frame; copied before this returns
     * @param connector opens a connection to this link's friend at an address
     * @return the send's outcome
     */
    synchronized CompletionStage<Void> send(ByteBuffer frame,
            BiFunction<FriendLink, PeerAddress, CompletionStage<SecureChannel>> connector) {
        if (!connecting && current != null && !current.connection().isOpen()) {
            detach(current);
        }
        if (!connecting && current != null) {
            return current.send(frame);
        }
        if (!connecting && address == null) {
            return CompletableFuture.failedFuture(new UnknownPeerException(friend));
        }
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame).flip();
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(new Pending(copy, done));
        if (!connecting) {
            // Queued first: a connector that fails synchronously calls connected() right here.
            connecting = true;
            connector.apply(this, address).whenComplete(this::connected);
        }
        return done;
    }

    private synchronized void connected(SecureChannel connection, Throwable failure) {
        connecting = false;
        Throwable error = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (connection != null) {
            if (current != null && current != connection) {
                spares.add(current);
            }
            current = connection;
        }
        if (current == null || !current.connection().isOpen()) {
            if (error instanceof PeerIdentityException refused) {
                failPending(refused);
                return;
            }
            Throwable cause = error instanceof P2pChatException ? error : error == null
                    ? new PeerUnreachableException("connection to " + friend + " closed at once")
                    : error;
            failPending(new PeerUnreachableException("cannot reach " + friend + " at " + address
                    + ": " + cause.getMessage(), cause));
            return;
        }
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            current.send(p.frame).whenComplete((v, e) -> {
                if (e == null) {
                    p.done.complete(null);
                } else {
                    p.done.completeExceptionally(e);
                }
            });
        }
    }

    /**
     * Adds a connection to this friend (an accepted one, once it has introduced itself). It
     * carries messages only when there is no other open connection.
     *
     * @param connection the connection
     */
    synchronized void attach(SecureChannel connection) {
        if (current == null || !current.connection().isOpen()) {
            current = connection;
        } else if (current != connection) {
            spares.add(connection);
        }
    }

    /**
     * Forgets a closed connection; an open spare, if any, takes its place.
     *
     * @param connection the connection that closed
     */
    synchronized void detach(SecureChannel connection) {
        spares.remove(connection);
        if (current == connection) {
            current = null;
            while (!spares.isEmpty() && current == null) {
                SecureChannel spare = spares.remove(0);
                current = spare.connection().isOpen() ? spare : null;
            }
        }
    }

    /**
     * Fails every queued message, for example when the peer closes.
     *
     * @param reason the exception to fail them with
     */
    synchronized void failPending(P2pChatException reason) {
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            p.done.completeExceptionally(reason);
        }
    }

    synchronized ConnectionState state() {
        if (current != null && current.connection().isOpen()) {
            return ConnectionState.CONNECTED;
        }
        return connecting ? ConnectionState.CONNECTING : ConnectionState.DISCONNECTED;
    }

    /**
     * Tells whether this link can be forgotten: a friend not in the directory with no connection.
     *
     * @return true if nothing refers to it any more
     */
    synchronized boolean isDisposable() {
        return address == null && current == null && spares.isEmpty() && !connecting
                && pending.isEmpty();
    }

    synchronized int openConnections() {
        int n = current != null && current.connection().isOpen() ? 1 : 0;
        for (SecureChannel c : spares) {
            n += c.connection().isOpen() ? 1 : 0;
        }
        return n;
    }
}
