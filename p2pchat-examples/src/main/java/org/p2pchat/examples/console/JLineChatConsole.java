package org.p2pchat.examples.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * A console on the user's terminal, with a JLine 3 line editor: a prompt, editing, history, Tab
 * completion, and incoming lines printed above the line being typed (the seed's "the console should always be
 * ready to accept a new message ... unless the user is already typing").
 *
 * <p><b>Threading:</b> see {@link ChatConsole}. {@link LineReader#printAbove} takes the reader's
 * lock, erases the prompt and the partial line, prints, and redraws them, so printing from the
 * network or callback threads never lands inside what the user is typing.
 */
public final class JLineChatConsole implements ChatConsole {
    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;
    private volatile boolean closed;
    /** The terminal's status area, or null if it has none (then progress comes as lines). */
    private final Status status;

    private JLineChatConsole(Terminal terminal, String prompt, Completer completer) {
        this.terminal = terminal;
        this.prompt = prompt;
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("p2pchat")
                .completer(completer)
                // A message is free text: quotes and backslashes are part of it, so the parser must
                // neither wait for a closing quote nor eat escapes.
                .parser(new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]))
                .build();
        // '!' is common in chat ("hi!"), not a history reference.
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        this.status = Status.getStatus(terminal, true);
    }

    /**
     * Opens the system terminal, if the process has a real one.
     *
     * @param prompt the prompt shown before each input line, such as {@code "alice> "}
     * @param completer what Tab completes, such as a {@link ChatCompleter}
     * @return the console, or empty when only a dumb terminal is available (the caller then falls
     *     back to {@link PlainChatConsole}, which is what a dumb terminal can show anyway)
     * @throws UncheckedIOException if the terminal cannot be opened
     */
    public static Optional<ChatConsole> openSystemTerminal(String prompt, Completer completer) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completer, "completer");
        Terminal terminal;
        try {
            // dumb(true): when no real terminal can be had, say so by the type, without the
            // warning JLine would otherwise log.
            terminal = TerminalBuilder.builder().system(true).dumb(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal", e);
        }
        if (terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
            try {
                terminal.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the terminal", e);
            }
            return Optional.empty();
        }
        return Optional.of(new JLineChatConsole(terminal, prompt, completer));
    }

    @Override
    public String readLine() {
        try {
            return reader.readLine(prompt);
        } catch (EndOfFileException e) {
            return null;
        } catch (UserInterruptException e) {
            // Ctrl-C abandons a half-typed line, as in a shell; on an empty line it leaves.
            return e.getPartialLine() == null || e.getPartialLine().isEmpty() ? null : "";
        }
    }

    @Override
    public void println(String line) {
        if (!closed) {
            // An AttributedString is shown as is; the String overload would interpret ANSI codes.
            reader.printAbove(new AttributedString(line));
        }
    }

    @Override
    public boolean showsStatus() {
        return status != null;
    }

    @Override
    public void status(List<String> lines) {
        if (closed || status == null) {
            return;
        }
        List<AttributedString> shown = new ArrayList<>(lines.size());
        for (String line : lines) {
            shown.add(new AttributedString(line));
        }
        // The reader redraws the prompt around the status area; one update at a time.
        synchronized (status) {
            status.update(shown);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the terminal", e);
        }
    }
}
