package org.p2pchat.core.internal.delivery;

import java.util.List;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.runtime.EpochNanos;

/**
 * Where a {@link FriendLink} records the direct text messages it sends: in the history, and in
 * the store's outbox until the friend acknowledges them, so that a durable peer sends them again
 * after a restart. Room messages are not recorded here (rooms keep their own).
 *
 * <p><b>Threading.</b> Called with the link's lock held, in the order things happen to the
 * link's messages, from application threads, the event loop and the timer: an implementation
 * only queues writes (it never waits for the disk), so that the store applies them in the same
 * order.
 */
public interface SendJournal {
    /** Records nothing: for links without a store (tests of the delivery layer). */
    SendJournal NONE = new SendJournal() {
        @Override
        public TrackedText track(byte[] text, String decoded, long queuedAt,
                java.time.Duration timeout) {
            return new TrackedText("", 0, 0, text, EpochNanos.instant(queuedAt).plus(timeout),
                    false);
        }

        @Override
        public void queued(PeerKey peer, String name, TrackedText message) {
        }

        @Override
        public void delivered(PeerKey peer, List<TrackedText> messages) {
        }

        @Override
        public void failed(PeerKey peer, List<TrackedText> messages) {
        }

        @Override
        public void renumbered(PeerKey peer, long oldLast, List<TrackedText> messages) {
        }
    };

    /**
     * Gives a new message its history id, in this process's epoch.
     *
     * @param text its UTF-8 text
     * @param decoded that text as a string, or null if the sender does not have it at hand
     * @param queuedAt when it is queued, in nanoseconds since the epoch (its
     *     {@link TrackedText#queuedAt})
     * @param timeout its delivery timeout, from then
     * @return its record, numbered when the link queues it
     */
    TrackedText track(byte[] text, String decoded, long queuedAt, java.time.Duration timeout);

    /**
     * A message was queued for a peer whose key is known: its history record (pending) and its
     * outbox entry are written.
     *
     * @param peer the peer's key
     * @param name the name it goes by
     * @param message the message
     */
    void queued(PeerKey peer, String name, TrackedText message);

    /**
     * The peer acknowledged messages: they leave the outbox and their history records say so.
     *
     * @param peer the peer's key
     * @param messages the messages, in order
     */
    void delivered(PeerKey peer, List<TrackedText> messages);

    /**
     * Messages were given up on (delivery timeout, refused for good, too large): they leave the
     * outbox and their history records say they failed.
     *
     * @param peer the peer's key
     * @param messages the messages, in order
     */
    void failed(PeerKey peer, List<TrackedText> messages);

    /**
     * A link's new messages, none transmitted yet, were renumbered (the friend remembered numbers
     * from a link this process forgot): the outbox entries numbered up to {@code oldLast} in this
     * process's epoch are replaced by the messages with their new numbers.
     *
     * @param peer the peer's key
     * @param oldLast the highest number the entries had
     * @param messages the recorded messages of this epoch, renumbered, in order
     */
    void renumbered(PeerKey peer, long oldLast, List<TrackedText> messages);
}
