package org.p2pchat.api;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the link to one friend has done since it was made and what it holds now; or, in
 * {@link PeerStats#total()}, the same figures summed over every friend. Part of a {@link
 * PeerStats} snapshot.
 *
 * <p>A <i>message</i> is one numbered message of the delivery layer: a direct text, a room
 * message or a file offer sent to or through this friend (file chunks travel on a lane of their
 * own and are not counted). Its <i>bytes</i> are its payload as it travels, the UTF-8 text of a
 * direct message (with its first number in front, 9 to 17 bytes, for one a restarted peer sends
 * again from its store), without framing, encryption or the 32 units of overhead the outbox
 * limit and the window add to each message. Those two limits are counted in their own units: a message's
 * bytes plus 32.
 *
 * <p>An immutable value, as are its nested records; any thread. The figures were read one after
 * another while the peer kept running, so two of them may disagree by what happened in between
 * (a message counted as acknowledged that the outbox figures still hold, say); each figure on
 * its own is one the counters really had.
 *
 * @param messages the messages sent, resent, acknowledged and received
 * @param frames the DATA and ACK frames sent and received
 * @param ackDelay how long acknowledgements took
 * @param outbox what waits in the outbox now
 * @param window what is in flight now against the window the friend granted
 * @param connections the connections open now, opened so far and closed, by reason
 */
public record LinkStats(Messages messages, Frames frames, AckDelay ackDelay, Outbox outbox,
        Window window, Connections connections) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if any is null
     */
    public LinkStats {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(ackDelay, "ackDelay");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(connections, "connections");
    }

    /**
     * Messages and their payload bytes.
     *
     * @param sent messages written to a connection for the first time by this process
     * @param sentBytes their payload bytes
     * @param resent messages written again, on a new connection after the one that carried them
     *     was lost or replaced before the friend acknowledged them (not in {@code sent} again)
     * @param acknowledged messages the friend acknowledged
     * @param received new messages received from the friend (copies of a message received
     *     before are not counted)
     * @param receivedBytes their payload bytes
     */
    public record Messages(long sent, long sentBytes, long resent, long acknowledged,
            long received, long receivedBytes) {
    }

    /**
     * Sealed frames of the conversation: DATA frames, each carrying one or more messages, and the
     * ACK frames that acknowledge them and grant windows. Handshakes, PINGs and the file lane are
     * not counted.
     *
     * @param dataSent DATA frames written, resent messages' included
     * @param dataReceived DATA frames that arrived
     * @param acksSent ACK frames written
     * @param acksReceived ACK frames that arrived
     */
    public record Frames(long dataSent, long dataReceived, long acksSent, long acksReceived) {
    }

    /**
     * How long acknowledgements took: one sample per ACK that covered a message written on the
     * connection it arrived on, from the moment the newest such message was written to the
     * ACK's arrival. That is a round trip, plus the time the friend took to record the message
     * (a durable store commits first) and to answer.
     *
     * @param samples how many ACKs were sampled
     * @param last the latest sample; zero before the first. In a total: the latest of any friend
     * @param smoothed the samples smoothed as TCP smooths round trips (each moves it an eighth of
     *     the way); zero before the first. In a total: that of the friend sampled latest
     * @param mean the mean of every sample; zero before the first
     */
    public record AckDelay(long samples, Duration last, Duration smoothed, Duration mean) {
        /**
         * Validates the components.
         *
         * @throws NullPointerException if a duration is null
         */
        public AckDelay {
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(smoothed, "smoothed");
            Objects.requireNonNull(mean, "mean");
        }
    }

    /**
     * The messages the friend has not acknowledged yet, in flight or waiting to go.
     *
     * @param messages how many
     * @param bytes their size as the limit counts it (payload plus 32 each)
     * @param limitBytes the limit, {@code p2pchat.outboxLimitBytes} (in a total: the sum)
     */
    public record Outbox(long messages, long bytes, long limitBytes) {
    }

    /**
     * Flow control on the connection that carries the messages now.
     *
     * @param inFlightMessages messages written to it and not acknowledged yet
     * @param inFlightBytes what they count against the window (payload plus 32 each), with any
     *     that timed out on the way
     * @param grantedBytes the window the friend's latest ACK there granted beyond what it
     *     acknowledged; zero while no connection carries messages or none has had its first ACK
     * @param stalls how many times messages waited because the window was full
     * @param stalledTime how long they waited, in all
     */
    public record Window(long inFlightMessages, long inFlightBytes, long grantedBytes,
            long stalls, Duration stalledTime) {
        /**
         * Validates the components.
         *
         * @throws NullPointerException if the stalled time is null
         */
        public Window {
            Objects.requireNonNull(stalledTime, "stalledTime");
        }
    }

    /**
     * Connections that completed their handshake (those that did not are {@link
     * PeerStats#handshakesFailed()}).
     *
     * @param open how many are open now
     * @param opened how many were opened, by either side
     * @param closed how many closed, by reason; reasons none closed for are absent
     */
    public record Connections(long open, long opened,
            Map<ConnectionClosedException.Reason, Long> closed) {
        /**
         * Copies the map.
         *
         * @throws NullPointerException if it is null
         */
        public Connections {
            EnumMap<ConnectionClosedException.Reason, Long> copy =
                    new EnumMap<>(ConnectionClosedException.Reason.class);
            for (Map.Entry<ConnectionClosedException.Reason, Long> e :
                    Objects.requireNonNull(closed, "closed").entrySet()) {
                if (e.getValue() != 0) {
                    copy.put(e.getKey(), e.getValue());
                }
            }
            // Unmodifiable, in the order of the enum, as a snapshot should print.
            closed = java.util.Collections.unmodifiableMap(copy);
        }

        /**
         * Returns how many closed for one reason.
         *
         * @param reason the reason
         * @return the count, 0 if none
         */
        public long closed(ConnectionClosedException.Reason reason) {
            return closed.getOrDefault(reason, 0L);
        }

        /**
         * Returns how many closed, for any reason.
         *
         * @return the count
         */
        public long closedTotal() {
            long n = 0;
            for (long c : closed.values()) {
                n += c;
            }
            return n;
        }
    }
}
