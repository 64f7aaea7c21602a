package org.p2pchat.examples;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.OutboxFullException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerUnreachableException;
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
 */
public final class SendFailures {
    /** Cause chains are short; the bound only guards against a cycle. */
    private static final int MAX_CAUSES = 16;
    /** How much of a message a late failure quotes, in code points. */
    static final int EXCERPT_CODE_POINTS = 40;

    private SendFailures() {
    }

    /**
     * Describes why a message was not sent.
     *
     * @param friend who it was for
     * @param address where the friend listens, per the directory
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
        PeerIdentityException refused = identityFailure(e);
        if (refused != null) {
            return "! refused: " + oneLine(String.valueOf(refused.getMessage()));
        }
        if (e instanceof DeliveryTimeoutException timedOut) {
            return timedOut(friend, address, timedOut) + excerpt(text);
        }
        if (e instanceof PeerUnreachableException || e instanceof ConnectFailedException) {
            return "! " + friend + " is offline (" + offlineReason(e, address) + ")";
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
     * The line for a name that is not in the user_info table.
     *
     * @param friend the name
     * @return one line starting with {@code "! "}
     */
    public static String unknownFriend(String friend) {
        return "! no friend named '" + friend + "' in the user_info table; /peers lists them";
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

    /** The identity failure in the cause chain: it explains more than any wrapper around it. */
    private static PeerIdentityException identityFailure(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            if (t instanceof PeerIdentityException identity) {
                return identity;
            }
        }
        return null;
    }

    /**
     * The line for a message given up after the delivery timeout. The reason comes from the
     * cause (the last connection failure) and not from the exception's own message, which repeats
     * the cause's text.
     */
    private static String timedOut(String friend, PeerAddress address,
            DeliveryTimeoutException e) {
        String line = e.getCause() != null
                ? "! " + friend + " is offline (" + offlineReason(e.getCause(), address) + ")"
                : "! " + friend + " is not answering (no acknowledgement within the delivery"
                        + " timeout)";
        // Written at least once but not acknowledged: it may be the acknowledgement that got lost.
        return line + (e.transmitted() ? "; " + friend + " may have received it: "
                : "; not delivered: ");
    }

    /** The start of a message, quoted on one line. */
    private static String excerpt(String text) {
        String t = oneLine(text);
        if (t.codePointCount(0, t.length()) > EXCERPT_CODE_POINTS) {
            int end = t.offsetByCodePoints(0, EXCERPT_CODE_POINTS);
            t = t.substring(0, end).stripTrailing() + "...";
        }
        return "\"" + t + "\"";
    }

    private static String offlineReason(Throwable e, PeerAddress address) {
        Throwable root = e;
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            if (t instanceof ConnectTimeoutException) {
                return "no answer from " + address + " within the connect timeout";
            }
            if (t instanceof ConnectException || String.valueOf(t.getMessage())
                    .toLowerCase(Locale.ROOT).contains("connection refused")) {
                return "connection refused at " + address;
            }
            if (t instanceof ConnectionClosedException closed) {
                return "connection to " + address + " closed: "
                        + closed.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "cannot resolve " + address.host();
            }
            root = t;
        }
        return "cannot connect to " + address + ": " + oneLine(String.valueOf(root.getMessage()));
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
