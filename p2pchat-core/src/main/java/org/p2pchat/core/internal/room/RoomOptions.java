package org.p2pchat.core.internal.room;

import java.time.Duration;

/**
 * The timing of rooms; every field is a {@code p2pchat.*} setting (see {@code Settings}). An
 * immutable value.
 *
 * @param digestInterval how often a member sends each other member a digest of the records it
 *     holds ({@code p2pchat.roomDigestInterval}): it keeps views converging and shows who is
 *     reachable
 * @param failureTimeout how long a member may acknowledge nothing before it is reported failed
 *     ({@code p2pchat.roomFailureTimeout}); at least twice the digest interval makes sense
 */
public record RoomOptions(Duration digestInterval, Duration failureTimeout) {
    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if a duration is not positive
     */
    public RoomOptions {
        if (digestInterval.isNegative() || digestInterval.isZero()) {
            throw new IllegalArgumentException("expected roomDigestInterval > 0, got " + digestInterval);
        }
        if (failureTimeout.isNegative() || failureTimeout.isZero()) {
            throw new IllegalArgumentException("expected roomFailureTimeout > 0, got " + failureTimeout);
        }
    }
}
