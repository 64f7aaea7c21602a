package org.p2pchat.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.api.PeerAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for the command line's option types. Each throws
 * {@link TypeConversionException} with a message that says what was expected, which picocli shows
 * as the one-line usage error. Stateless; picocli calls them on the thread that parses the
 * arguments.
 */
final class CliConverters {

    private CliConverters() {
    }

    /** {@code host:port}, as in the user_info table. */
    static final class Address implements ITypeConverter<PeerAddress> {
        @Override
        public PeerAddress convert(String value) {
            try {
                return PeerAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A duration the way people write it: {@code 5m}, {@code 30s}, {@code 1h}, {@code 500ms},
     * {@code 0} (never), or ISO-8601 ({@code PT5M}).
     */
    static final class Time implements ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

        @Override
        public Duration convert(String value) {
            String s = value.strip().toLowerCase(Locale.ROOT);
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = SIMPLE.matcher(s);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        return Duration.ofMillis(n);
                    case "s":
                        return Duration.ofSeconds(n);
                    case "m":
                        return Duration.ofMinutes(n);
                    case "h":
                        return Duration.ofHours(n);
                    default:
                        return Duration.ofDays(n);
                }
            }
            try {
                Duration d = Duration.parse(value.strip());
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // Falls through to the message below, which says what is accepted.
            }
            throw new TypeConversionException("expected a duration such as 5m, 30s, 1h, 500ms"
                    + " or 0 for never, got '" + value + "'");
        }
    }

    /**
     * A duration as {@link Time} reads it, but more than zero: for a limit that cannot be switched
     * off, such as how long a message is retried.
     */
    static final class PositiveTime implements ITypeConverter<Duration> {
        private final Time time = new Time();

        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = time.convert(value);
            } catch (TypeConversionException e) {
                d = Duration.ZERO;
            }
            if (d.isZero()) {
                throw new TypeConversionException("expected a duration above 0 such as 30s, 2m or"
                        + " 500ms, got '" + value + "'");
            }
            return d;
        }
    }
}
