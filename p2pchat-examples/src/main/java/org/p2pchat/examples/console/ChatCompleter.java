package org.p2pchat.examples.console;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the first word of a line: a name becomes {@code bob/}, ready for the
 * message, and a command such as {@code /pe} becomes {@code /peers}. Nothing is completed inside a
 * message (after the first {@code /}) or after the first word.
 *
 * <p><b>Threading:</b> JLine calls it on the thread reading the line; the names are asked for at
 * each completion, so friends who wrote a moment ago are offered too.
 */
public final class ChatCompleter implements Completer {
    private final List<String> commands;
    private final Supplier<? extends List<String>> names;

    /**
     * Creates the completer.
     *
     * @param commands the commands, as typed ({@code /peers}, {@code :q}, ...)
     * @param names who the user can write to, asked for at each completion
     */
    public ChatCompleter(List<String> commands, Supplier<? extends List<String>> names) {
        this.commands = List.copyOf(commands);
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() != 0) {
            return;
        }
        String typed = line.word().substring(0, line.wordCursor());
        if (typed.contains("/") && !typed.startsWith("/")) {
            return;
        }
        for (String command : commands) {
            if (command.startsWith(typed)) {
                candidates.add(new Candidate(command));
            }
        }
        if (typed.startsWith("/") || typed.startsWith(":")) {
            return;
        }
        for (String name : names.get()) {
            // A name with characters a terminal would act on is not offered (nor shown).
            if (name.startsWith(typed) && Printable.of(name).equals(name)) {
                // Not complete: no space after the slash, the message follows at once.
                candidates.add(new Candidate(name + "/", name, null, null, null, null, false));
            }
        }
    }
}
