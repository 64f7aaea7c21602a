package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Which page of a conversation's history to read: at most {@code limit} records, newest first
 * (by {@link HistoryRecord#sentAt()}, then by message id), all older than a cursor if one is
 * given, and none sent before {@code since} if it is given. An immutable value.
 *
 * @param limit the most records, 1 or more
 * @param beforeSentAt with {@code beforeId}: only records older than the record with this time
 *     and id (the oldest of the previous page), or null for the newest
 * @param beforeId the message id of that record, or null
 * @param since only records sent at or after this instant, or null for no lower bound
 */
public record HistoryQuery(int limit, Instant beforeSentAt, String beforeId, Instant since) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the limit is below 1, or only half a cursor is given
     */
    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("expected a limit of at least 1, got " + limit);
        }
        if ((beforeSentAt == null) != (beforeId == null)) {
            throw new IllegalArgumentException("expected both parts of the cursor, or neither");
        }
    }

    /**
     * The newest records.
     *
     * @param limit the most records
     * @return the query
     */
    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(limit, null, null, null);
    }

    /**
     * The page before a record: pass the oldest record of the last page.
     *
     * @param oldest that record
     * @param limit the most records
     * @return the query
     */
    public static HistoryQuery before(HistoryRecord oldest, int limit) {
        Objects.requireNonNull(oldest, "oldest");
        return new HistoryQuery(limit, oldest.sentAt(), oldest.messageId(), null);
    }

    /**
     * The records sent since a point, newest first.
     *
     * @param instant the point
     * @param limit the most records
     * @return the query
     */
    public static HistoryQuery since(Instant instant, int limit) {
        return new HistoryQuery(limit, null, null, Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Whether a record is older than this query's cursor (or there is no cursor) and not older
     * than its {@code since}: what a store returns, newest first, up to the limit.
     *
     * @param r the record
     * @return true if it belongs to the page
     */
    public boolean admits(HistoryRecord r) {
        if (since != null && r.sentAt().isBefore(since)) {
            return false;
        }
        if (beforeSentAt == null) {
            return true;
        }
        int c = r.sentAt().compareTo(beforeSentAt);
        return c < 0 || c == 0 && r.messageId().compareTo(beforeId) < 0;
    }
}
