package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import picocli.CommandLine.TypeConversionException;

class CliConvertersTest {
    private final CliConverters.Time time = new CliConverters.Time();

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        assertEquals(Duration.ofMinutes(5), time.convert("5m"));
        assertEquals(Duration.ofSeconds(30), time.convert("30s"));
        assertEquals(Duration.ofMillis(500), time.convert("500ms"));
        assertEquals(Duration.ofHours(1), time.convert("1h"));
        assertEquals(Duration.ZERO, time.convert("0"));
        assertEquals(Duration.ofMinutes(2), time.convert("PT2M"));
    }

    @Test
    void badDurationSaysWhatIsAccepted() {
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> time.convert("five minutes"));
        assertEquals("expected a duration such as 5m, 30s, 1h, 500ms or 0 for never, got"
                + " 'five minutes'", e.getMessage());
        assertThrows(TypeConversionException.class, () -> time.convert("-PT1S"));
    }

    @Test
    void positiveDurationRefusesZero() {
        CliConverters.PositiveTime positive = new CliConverters.PositiveTime();
        assertEquals(Duration.ofSeconds(1), positive.convert("1s"));
        assertEquals(Duration.ofMinutes(2), positive.convert("PT2M"));
        TypeConversionException zero = assertThrows(TypeConversionException.class,
                () -> positive.convert("0"));
        assertEquals("expected a duration above 0 such as 30s, 2m or 500ms, got '0'",
                zero.getMessage());
        assertThrows(TypeConversionException.class, () -> positive.convert("0s"));
        assertThrows(TypeConversionException.class, () -> positive.convert("soon"));
    }

    @Test
    void addressIsHostColonPort() {
        assertEquals(PeerAddress.loopback(7001), new CliConverters.Address().convert("127.0.0.1:7001"));
        assertThrows(TypeConversionException.class, () -> new CliConverters.Address().convert("7001"));
    }
}
