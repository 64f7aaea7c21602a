package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.examples.console.PlainChatConsole;
import org.p2pchat.examples.console.TimestampedConsole;

class TimestampedConsoleTest {

    @Test
    void eachPrintedLineStartsWithTheLocalHoursAndMinutes() {
        RecordedOutput out = new RecordedOutput();
        ScriptedInput in = new ScriptedInput();
        // 13:03:59 UTC is 14:03 in Berlin in December.
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T13:03:59Z"), ZoneId.of("Europe/Berlin"));
        TimestampedConsole console = new TimestampedConsole(new PlainChatConsole(in,
                StandardCharsets.UTF_8, out.stream()), clock);

        console.println("[bob] hi");
        console.println("! bob is offline");
        in.type("bob/typed lines are not stamped");
        assertEquals("bob/typed lines are not stamped", console.readLine());
        assertEquals(List.of("14:03 [bob] hi", "14:03 ! bob is offline"), out.lines());
        Clock early = Clock.fixed(Instant.parse("2026-12-01T08:05:00Z"), ZoneId.of("UTC"));
        new TimestampedConsole(new PlainChatConsole(in, StandardCharsets.UTF_8, out.stream()),
                early).println("[bob] morning");
        assertEquals("08:05 [bob] morning", out.lines().get(2));
    }
}
