package org.p2pchat.examples.console;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A console that starts each printed line with the local time, hours and minutes:
 * {@code 14:03 [bob] hi}. Input is passed through untouched.
 *
 * <p><b>Threading:</b> as the console it wraps; the time is read when the line is printed.
 */
public final class TimestampedConsole implements ChatConsole {
    private static final DateTimeFormatter HOURS_MINUTES = DateTimeFormatter.ofPattern("HH:mm");

    private final ChatConsole console;
    private final Clock clock;

    /**
     * Wraps a console.
     *
     * @param console the console that prints
     * @param clock the time and the time zone of the stamps, normally the system's default zone
     */
    public TimestampedConsole(ChatConsole console, Clock clock) {
        this.console = Objects.requireNonNull(console, "console");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String readLine() {
        return console.readLine();
    }

    @Override
    public void println(String line) {
        console.println(LocalTime.now(clock).format(HOURS_MINUTES) + " " + line);
    }

    @Override
    public boolean showsStatus() {
        return console.showsStatus();
    }

    @Override
    public void status(java.util.List<String> lines) {
        console.status(lines);
    }

    @Override
    public void close() {
        console.close();
    }
}
