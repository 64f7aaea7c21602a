package org.p2pchat.core.internal.store;

import java.time.Instant;
import java.util.Objects;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.PeerKey;

/**
 * What the history records of one run of numbered ids have in common: the ids are this prefix
 * followed by a number in decimal, and the records belong to one conversation, with one sender.
 * The direct messages a peer sends to one friend form one series, and those a friend's process
 * sends it form another. A {@link NumberedHistory} keeps such records as their number, text and
 * times, and makes the id and the {@link org.p2pchat.api.HistoryRecord} only when they are read.
 *
 * <p>A received record's time received is its time sent (the receiver's clock, as for every
 * direct message received); a sent one has none.
 *
 * @param prefix what every id of the series begins with, ending in a character that is not a
 *     digit, so that an id splits into prefix and number one way only
 * @param conversation the conversation the records belong to
 * @param outgoing whether this peer sent them
 * @param sender the sender's name when the series was made
 * @param senderKey the sender's key
 */
public record NumberedSeries(String prefix, Conversation conversation, boolean outgoing,
        String sender, PeerKey senderKey) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the prefix is empty or ends in a digit
     */
    public NumberedSeries {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(senderKey, "senderKey");
        if (prefix.isEmpty() || isDigit(prefix.charAt(prefix.length() - 1))) {
            throw new IllegalArgumentException("expected a prefix that ends in a non-digit, got \""
                    + prefix + "\"");
        }
    }

    /** The id of the record numbered {@code number}. */
    public String id(long number) {
        return prefix + number;
    }

    /** The time received of a record of the series sent or received at {@code at}. */
    Instant receivedAt(Instant at) {
        return outgoing ? null : at;
    }

    /**
     * Where the number of an id begins, or -1 if it does not end in a number (one that fits a
     * non-negative long, in its shortest form, as {@link #id} writes it).
     */
    static int numberStart(String id) {
        int at = id.length();
        while (at > 0 && isDigit(id.charAt(at - 1))) {
            at--;
        }
        int digits = id.length() - at;
        if (digits == 0 || digits > 19 || at == 0 || (id.charAt(at) == '0' && digits > 1)) {
            return -1;
        }
        return digits == 19 && id.substring(at).compareTo(Long.toString(Long.MAX_VALUE)) > 0
                ? -1 : at;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
