package org.p2pchat.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.p2pchat.testkit.Await;

/** Stdout or stderr of an in-process chat, split into lines that tests wait for. */
final class RecordedOutput extends OutputStream {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    PrintStream stream() {
        return stream;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else if (b != '\r') {
            partial.write(b);
        }
    }

    /** Returns the complete lines so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits until a line equal to the text has been written. */
    String awaitLine(String text) {
        return awaitLine("a line '" + text + "'", text::equals);
    }

    /** Waits until a line starting with the prefix has been written, and returns it. */
    String awaitLineStartingWith(String prefix) {
        return awaitLine("a line starting with '" + prefix + "'", l -> l.startsWith(prefix));
    }

    /** Waits until a matching line has been written, and returns the first such line. */
    String awaitLine(String what, Predicate<String> matching) {
        try {
            Await.until(what, () -> lines().stream().anyMatch(matching));
        } catch (AssertionError e) {
            // The output at the deadline, not at the start of the wait.
            throw new AssertionError(e.getMessage() + " in " + this, e);
        }
        return lines().stream().filter(matching).findFirst().orElseThrow();
    }

    @Override
    public synchronized String toString() {
        return "output " + lines + (partial.size() > 0 ? " + '" + partial + "'" : "");
    }
}
