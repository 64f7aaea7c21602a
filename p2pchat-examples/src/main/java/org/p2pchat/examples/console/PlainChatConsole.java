package org.p2pchat.examples.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A console on plain streams, for piped stdin and scripts: one line in, lines out, no prompt and
 * no escape codes, so the output can be read by another program.
 *
 * <p><b>Threading:</b> see {@link ChatConsole}. Output lines are written whole under a lock, so
 * lines printed from different threads never interleave. The streams belong to the caller and are
 * not closed.
 */
public final class PlainChatConsole implements ChatConsole {
    private final BufferedReader in;
    private final PrintStream out;
    private final Object outputLock = new Object();
    private boolean closed;

    /**
     * Creates a console on streams.
     *
     * @param in where input lines come from
     * @param inputCharset how the input is encoded
     * @param out where output lines go
     */
    public PlainChatConsole(InputStream in, Charset inputCharset, PrintStream out) {
        this.in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in, "in"),
                Objects.requireNonNull(inputCharset, "inputCharset")));
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            // Input that cannot be read any more ends the session like end of input does, but
            // not silently.
            println("! cannot read input any more: " + e.getMessage());
            return null;
        }
    }

    @Override
    public void println(String line) {
        synchronized (outputLock) {
            if (!closed) {
                out.println(line);
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        synchronized (outputLock) {
            closed = true;
            out.flush();
        }
    }
}
