package org.p2pchat.examples.console;

/**
 * The chat's input and output lines.
 *
 * <p><b>Threading:</b> one thread (the session's input loop) calls {@link #readLine()};
 * {@link #println(String)} may be called from any thread at any time, including while
 * {@link #readLine()} is blocked, and never mixes its line into the one being typed. Lines printed
 * after {@link #close()} are dropped, so late callbacks of a closing peer are harmless.
 */
public interface ChatConsole extends AutoCloseable {

    /**
     * Waits for the next input line.
     *
     * @return the line without its terminator, or null at the end of input (Ctrl-D, or the end of
     *     piped stdin)
     */
    String readLine();

    /**
     * Prints one output line. The text is printed as given, so callers pass text already made
     * safe to show (see {@link Printable}).
     *
     * @param line the line, without a terminator
     */
    void println(String line);

    /**
     * Tells whether this console keeps live status lines below the input line, redrawn in
     * place ({@link #status}); a console without (piped output) is told of progress in
     * ordinary lines instead.
     *
     * @return true if {@link #status} shows anything
     */
    default boolean showsStatus() {
        return false;
    }

    /**
     * Replaces the live status lines (a transfer's progress bar, say); an empty list removes
     * them. Any thread; the text is shown as given (see {@link Printable}).
     *
     * @param lines the lines, at most a few
     */
    default void status(java.util.List<String> lines) {
    }

    /** Stops printing and releases the terminal, if one is held. Calling it again does nothing. */
    @Override
    void close();
}
