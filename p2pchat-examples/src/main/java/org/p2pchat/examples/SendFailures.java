package org.p2pchat.examples;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.NotInRoomException;
import org.p2pchat.api.OutboxFullException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.api.RoomDeliveryException;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.examples.console.Printable;

/**
 * Turns a failed send into the one line the user sees, such as
 * {@code ! bob is offline (connection refused at 127.0.0.1:7002)}: what happened to the message in
 * the user's terms, not a stack trace. A friend whose key does not match the pinned or remembered
 * one (or who refused ours) gives {@code ! refused: <why>}, the library's explanation, which names
 * both fingerprints and what to do. Stateless; any thread.
 *
 * <p>A message to a friend who is away is kept and sent again until the delivery timeout, so the
 * offline line comes when that timeout ends ({@link DeliveryTimeoutException}); its reason is the
 * last connection failure. By then the user may have typed more, so the line ends with the start
 * of the message: {@code ; not delivered: "are you there?"}. If the message had been written to a
 * connection before, it ends {@code ; bob may have received it: "are you there?"} instead: the
 * friend may have it although no acknowledgement came back. Without any connection failure
 * (connected, but the friend did not acknowledge in time) the line starts
 * {@code ! bob is not answering (no acknowledgement within the delivery timeout)}. A full outbox
 * refuses the message at once: {@code ! message to bob not sent: too many messages are waiting
 * for bob; try again shortly}.
 *
 * <p>A failure to reach a friend is one of two kinds, told apart by {@link #situation}: the
 * friend is offline (the connection is refused, nobody answers, the name does not resolve, an open
 * connection was lost), or the friend's port answers but no session comes of it
 * ({@code bob answers but the session fails (connection to ... closed during the handshake: ...)}),
 * which is something listening there that is not p2pchat, or a p2pchat that refuses the session.
 */
public final class SendFailures {
    /** Cause chains are short; the bound only guards against a cycle. */
    private static final int MAX_CAUSES = 16;

    private SendFailures() {
    }

    /**
     * Describes why a message was not sent.
     *
     * @param friend who it was for
     * @param address where the friend listens, per the directory, or null for a peer that is not
     *     in it (one who wrote to this peer)
     * @param text the message, quoted when the failure comes late (after the delivery timeout)
     * @param failure what the send's stage failed with (wrapped or not)
     * @return one line starting with {@code "! "}
     */
    public static String describe(String friend, PeerAddress address, String text,
            Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof UnknownPeerException) {
            return unknownFriend(friend);
        }
        PeerIdentityException refused = refusal(e);
        if (refused != null) {
            return "! refused: " + oneLine(String.valueOf(refused.getMessage()));
        }
        if (e instanceof DeliveryTimeoutException timedOut) {
            return timedOut(friend, address, timedOut) + Excerpt.of(text);
        }
        if (e instanceof PeerUnreachableException || e instanceof ConnectFailedException) {
            return "! " + situation(friend, address, e, "is offline");
        }
        String notSent = "! message to " + friend + " not sent: ";
        if (e instanceof OutboxFullException) {
            return notSent + "too many messages are waiting for " + friend + "; try again shortly";
        }
        if (e instanceof PeerClosedException) {
            return notSent + "the chat is closing";
        }
        if (e instanceof MessageTooLargeException) {
            return notSent + "it is too long (" + oneLine(e.getMessage()) + ")";
        }
        return notSent + oneLine(String.valueOf(e.getMessage()));
    }

    /**
     * Describes why a message published in a room did not reach every member:
     * {@code ! not confirmed by carol in #general within the delivery timeout (other members may
     * still pass it on): "hi"}, or why it was not published at all.
     *
     * @param room the room's name
     * @param text the message
     * @param failure what the publish stage failed with (wrapped or not)
     * @return one line starting with {@code "! "}
     */
    public static String roomFailure(String room, String text, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof RoomDeliveryException missed) {
            List<String> names = new ArrayList<>();
            for (RoomMember m : missed.missing()) {
                names.add(Printable.of(m.name()));
            }
            return "! not confirmed by " + (names.isEmpty() ? "every member"
                    : String.join(", ", names)) + " in #" + room + " within the delivery timeout"
                    + " (other members may still pass it on): " + Excerpt.of(text);
        }
        if (e instanceof NotInRoomException) {
            return "! you are not in #" + room + " any more; not delivered: " + Excerpt.of(text);
        }
        String notSent = "! message to #" + room + " not sent: ";
        if (e instanceof MessageTooLargeException) {
            return notSent + "it is too long (" + oneLine(e.getMessage()) + ")";
        }
        if (e instanceof PeerClosedException) {
            return notSent + "the chat is closing";
        }
        return notSent + oneLine(String.valueOf(e.getMessage()));
    }

    /**
     * The line for a refusal that failed one or more messages at once (every message waiting
     * for that friend fails with the same refusal), such as
     * {@code ! refused: bob refused this peer: ...; not delivered: "hi" and 2 more}.
     *
     * @param explanation the refusal's message, which names both fingerprints
     * @param texts the messages it failed, in the order they were typed; at least one
     * @return one line starting with {@code "! refused: "}
     */
    static String refused(String explanation, List<String> texts) {
        return "! refused: " + oneLine(explanation) + "; not delivered: " + Excerpt.ofAll(texts);
    }

    /**
     * The line for a name that is neither in the user_info table nor a peer that wrote and is
     * still known to the library.
     *
     * @param friend the name
     * @return one line starting with {@code "! "}
     */
    public static String unknownFriend(String friend) {
        return "! no one named '" + friend + "' in the user_info table or your rooms; /peers lists"
                + " who you can write to";
    }

    /**
     * Tells whether a failure only reflects the chat being closed, which the user asked for.
     *
     * @param failure what a send's stage failed with
     * @return true for {@link PeerClosedException}
     */
    public static boolean isClosing(Throwable failure) {
        return unwrap(failure) instanceof PeerClosedException;
    }

    /**
     * Tells whether a failure means the peer does not know the name at all.
     *
     * @param failure what a send's stage failed with
     * @return true for {@link UnknownPeerException}
     */
    public static boolean isUnknownPeer(Throwable failure) {
        return unwrap(failure) instanceof UnknownPeerException;
    }

    /**
     * Finds the refusal in a failure's cause chain: it explains more than any wrapper around it.
     *
     * @param failure what a send's stage failed with (wrapped or not)
     * @return the refusal, or null if the failure is not one
     */
    static PeerIdentityException refusal(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof PeerIdentityException identity) {
                return identity;
            }
        }
        return null;
    }

    /**
     * Says why a friend cannot be reached, as a clause: {@code bob is offline (connection refused
     * at 127.0.0.1:7002)}, with {@code offlineVerb} in the middle when the friend is away, or
     * {@code bob answers but the session fails (...)} when the friend's port answers but the
     * session does not open (a handshake cut short, timed out, or refused).
     *
     * @param friend the friend
     * @param address where the friend listens, or null for a peer not in the directory
     * @param failure the last connection failure, as {@code Peer.connectionFailure} or a
     *     {@link DeliveryTimeoutException}'s cause gives it
     * @param offlineVerb what the friend is when offline, such as {@code "is offline"} or
     *     {@code "is not reachable yet"}
     * @return the clause, without a leading marker
     */
    static String situation(String friend, PeerAddress address, Throwable failure,
            String offlineVerb) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof ConnectionLimitException && String.valueOf(t.getMessage())
                    .contains("busy: ")) {
                // The friend's peer answered but has no place for this one now: not offline.
                return friend + " is busy (refused: connection limit); trying again";
            }
        }
        String offline = offlineReason(chain, address);
        if (offline != null) {
            return friend + " " + offlineVerb + " (" + offline + ")";
        }
        String fails = sessionFailure(chain);
        if (fails != null) {
            return friend + " answers but the session fails (" + fails + ")";
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectionClosedException closed) {
                return friend + " " + offlineVerb + " (connection" + to(address) + " closed: "
                        + closed.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        return friend + " " + offlineVerb + " (cannot connect" + to(address) + ": "
                + oneLine(String.valueOf(root.getMessage())) + ")";
    }

    /**
     * The line for a message given up after the delivery timeout. The reason comes from the
     * cause (the last connection failure) and not from the exception's own message, which repeats
     * the cause's text.
     */
    private static String timedOut(String friend, PeerAddress address,
            DeliveryTimeoutException e) {
        String line = e.getCause() != null
                ? "! " + situation(friend, address, e.getCause(), "is offline")
                : "! " + friend + " is not answering (no acknowledgement within the delivery"
                        + " timeout)";
        // Written at least once but not acknowledged: it may be the acknowledgement that got lost.
        return line + (e.transmitted() ? "; " + friend + " may have received it: "
                : "; not delivered: ");
    }

    /** Why a connection could not be opened at all, or null if one was. */
    private static String offlineReason(List<Throwable> chain, PeerAddress address) {
        for (Throwable t : chain) {
            if (t instanceof ConnectTimeoutException) {
                return "no answer" + from(address) + " within the connect timeout";
            }
            if (t instanceof ConnectException || String.valueOf(t.getMessage())
                    .toLowerCase(Locale.ROOT).contains("connection refused")) {
                return "connection refused" + at(address);
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return address == null ? "cannot resolve its address"
                        : "cannot resolve " + address.host();
            }
        }
        return null;
    }

    /**
     * Why a connection that was opened did not become a session, or null if nothing says so: the
     * library's own explanation, which names the address and what happened.
     */
    private static String sessionFailure(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof PeerIdentityException) {
                return "refused: " + oneLine(String.valueOf(t.getMessage()));
            }
        }
        for (Throwable t : chain) {
            // A first frame no p2pchat peer would send: something else listens at that port.
            if (t instanceof ConnectionClosedException closed
                    && closed.reason() == ConnectionClosedException.Reason.FRAME_TOO_LARGE) {
                return "what answers there is not a p2pchat peer: " + oneLine(
                        String.valueOf(closed.getMessage()));
            }
        }
        for (Throwable t : chain) {
            // The library's wrapper for a handshake cut short or timed out; a delivery timeout is
            // one too, but only ever wraps the real failure.
            if (t instanceof PeerUnreachableException && !(t instanceof DeliveryTimeoutException)
                    || t instanceof ProtocolException) {
                return oneLine(String.valueOf(t.getMessage()));
            }
        }
        return null;
    }

    private static String at(PeerAddress address) {
        return address == null ? "" : " at " + address;
    }

    private static String to(PeerAddress address) {
        return address == null ? "" : " to " + address;
    }

    private static String from(PeerAddress address) {
        return address == null ? "" : " from " + address;
    }

    /** The failure and its causes, outermost first; never empty, bounded against a cycle. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = unwrap(failure); t != null && chain.size() < MAX_CAUSES;
                t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        for (int i = 0; i < MAX_CAUSES && e.getCause() != null
                && (e instanceof CompletionException || e instanceof ExecutionException); i++) {
            e = e.getCause();
        }
        return e;
    }

    private static String oneLine(String text) {
        return Printable.of(text.strip());
    }
}
