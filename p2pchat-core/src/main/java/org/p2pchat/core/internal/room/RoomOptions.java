package org.p2pchat.core.internal.room;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing and catch-up bounds of rooms; every field is a {@code p2pchat.*} setting (see
 * {@code Settings}). An immutable value.
 *
 * @param digestInterval how often a member sends each other member a digest of the records it
 *     holds and its positions ({@code p2pchat.roomDigestInterval}): it keeps views converging,
 *     shows who is reachable and finds members that are behind
 * @param failureTimeout how long a member may acknowledge nothing before it is reported failed
 *     ({@code p2pchat.roomFailureTimeout}); at least twice the digest interval makes sense
 * @param catchUp what each member keeps of recent messages to catch others up
 *     ({@code p2pchat.roomCatchUpCount}, {@code roomCatchUpAge}, {@code roomCatchUpBytes})
 */
public record RoomOptions(Duration digestInterval, Duration failureTimeout, CatchUpLimits catchUp) {
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
        Objects.requireNonNull(catchUp, "catchUp");
    }

    /** Options with the default catch-up bounds. */
    public RoomOptions(Duration digestInterval, Duration failureTimeout) {
        this(digestInterval, failureTimeout, CatchUpLimits.DEFAULT);
    }
}
