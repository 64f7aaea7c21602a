package org.p2pchat.core.internal.delivery;

import java.time.Duration;
import java.util.List;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.TransportClosedException;

/**
 * How the messages a {@link FriendLink} gives up on fail: with the failure to connect itself when
 * trying again cannot help ({@link #hopeless}), else with a {@link DeliveryTimeoutException} that
 * names the last failure, if there was one.
 *
 * <p>Stateless. {@link #fail} is called with no lock held: completing a future runs the sender's
 * callbacks.
 */
final class Undelivered {
    private Undelivered() {
    }

    /**
     * Tells whether a failure to connect will not mend by trying again: a key mismatch, or a
     * transport that closed itself.
     *
     * @param cause the failure, or null
     * @return true if the messages waiting may as well fail now
     */
    static boolean hopeless(Throwable cause) {
        return cause instanceof PeerIdentityException || cause instanceof TransportClosedException;
    }

    /**
     * Fails messages the link gave up on.
     *
     * @param entries the messages
     * @param cause why the last attempt to connect failed or the last connection closed, or null
     * @param friend the friend's name, for the message
     * @param deliveryTimeout how long a message may wait, for the message
     */
    static void fail(List<Outbox.Entry> entries, Throwable cause, String friend,
            Duration deliveryTimeout) {
        for (Outbox.Entry e : entries) {
            if (hopeless(cause)) {
                e.done.completeExceptionally(cause);
                continue;
            }
            String why = cause == null ? "" : "; last failure: " + cause.getMessage();
            e.done.completeExceptionally(new DeliveryTimeoutException("no acknowledgement from "
                    + friend + " within " + deliveryTimeout + " (p2pchat.deliveryTimeout)"
                    + why, e.transmitted, cause));
        }
    }
}
