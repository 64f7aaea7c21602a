package org.p2pchat.core.internal.room;

import java.time.Duration;

/**
 * How much of a room's recent traffic each member keeps to send again to members that missed it
 * ({@link CatchUpBuffer}); every field is a {@code p2pchat.*} setting (see {@code Settings}). An
 * immutable value.
 *
 * @param count the most messages kept per room ({@code p2pchat.roomCatchUpCount}); 0 keeps none,
 *     so this member catches no one up
 * @param age how long a message is kept after it was delivered or published here
 *     ({@code p2pchat.roomCatchUpAge})
 * @param bytes the most bytes kept per room, each message counting its encoded size plus
 *     {@link CatchUpBuffer#ENTRY_OVERHEAD} ({@code p2pchat.roomCatchUpBytes})
 */
public record CatchUpLimits(int count, Duration age, long bytes) {
    /** The defaults: 1,000 messages, one hour, 4 MiB. */
    public static final CatchUpLimits DEFAULT = new CatchUpLimits(1000, Duration.ofHours(1),
            4L << 20);

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the count or bytes are negative or the age is not
     *     positive
     */
    public CatchUpLimits {
        if (count < 0) {
            throw new IllegalArgumentException("expected roomCatchUpCount >= 0, got " + count);
        }
        if (age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("expected roomCatchUpAge > 0, got " + age);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("expected roomCatchUpBytes >= 0, got " + bytes);
        }
    }
}
