package org.p2pchat.core.internal.delivery;

import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;

/**
 * Judges, at each tick of a {@link FriendLink} while messages wait, whether the connection they
 * wait on still works: a PING after a heartbeat interval of silence, or while messages are held
 * back by a window with none in flight; the connection's end after three silent intervals, or
 * once a message written to it has gone unacknowledged for the write deadline (the friend
 * stopped reading: its acknowledgements are sent on receipt, so a slow listener does not count).
 *
 * <p>Not thread-safe: its link's lock guards it.
 */
final class Liveness {
    private final String friend;
    private final DeliveryOptions options;
    private long awaitingSince;
    private long lastPing;

    Liveness(String friend, DeliveryOptions options) {
        this.friend = friend;
        this.options = options;
    }

    /**
     * Silence is counted from now on: messages started waiting, a connection took over, or the
     * friend acknowledged some.
     *
     * @param now the node's clock
     */
    void awaiting(long now) {
        awaitingSince = now;
    }

    /**
     * Tells why the connection must be closed, if it must.
     *
     * @param session the connection messages wait on
     * @param outbox the messages
     * @param now the node's clock
     * @return the reason to close it, or null while it works
     */
    ConnectionClosedException failure(LinkSession session, Outbox outbox, long now) {
        if (now - outbox.oldestUnacknowledgedWriteAt(now) > options.writeDeadline().toNanos()) {
            // Kernel buffers swallow megabytes from a friend that stopped reading; only the
            // missing acknowledgement shows it.
            return new ConnectionClosedException(Reason.WRITE_TIMEOUT, friend
                    + " has not acknowledged a message written " + options.writeDeadline()
                    + " ago (p2pchat.writeDeadline): it stopped reading");
        }
        if (silence(session, now) > 3 * heartbeat()) {
            return new ConnectionClosedException(Reason.HEARTBEAT_TIMEOUT, friend
                    + " sent nothing for three heartbeat intervals of "
                    + options.heartbeatInterval() + " (p2pchat.heartbeatInterval)");
        }
        return null;
    }

    /**
     * Tells whether to send a PING now, at most once per heartbeat interval; counts it as sent.
     *
     * @param session the connection messages wait on
     * @param outbox the messages
     * @param now the node's clock
     * @return true if a PING is due
     */
    boolean pingDue(LinkSession session, Outbox outbox, long now) {
        long heartbeat = heartbeat();
        // A friend that talks but whose window update went astray would otherwise leave the
        // waiting messages stuck until they time out.
        boolean starved = outbox.hasWaiting() && outbox.inFlightUnits() == 0
                && now - Math.max(awaitingSince, lastPing) > heartbeat;
        if (starved || silence(session, now) > heartbeat && now - lastPing > heartbeat) {
            lastPing = now;
            return true;
        }
        return false;
    }

    private long silence(LinkSession session, long now) {
        return now - Math.max(session.lastHeard(), awaitingSince);
    }

    private long heartbeat() {
        return options.heartbeatInterval().toNanos();
    }
}
