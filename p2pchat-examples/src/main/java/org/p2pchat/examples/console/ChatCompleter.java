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
 * message, a room such as {@code #ge} becomes {@code #general }, and a command such as
 * {@code /pe} becomes {@code /peers}. The second word of {@code /members}, {@code /leave} and
 * {@code /invite} completes to a room's name. Nothing is completed inside a message (after the
 * first {@code /}, or after a room).
 *
 * <p><b>Threading:</b> JLine calls it on the thread reading the line; the names and rooms are
 * asked for at each completion, so friends who wrote and members who joined a moment ago are
 * offered too.
 */
public final class ChatCompleter implements Completer {
    private final List<String> commands;
    private final Supplier<? extends List<String>> names;
    private final Supplier<? extends List<String>> rooms;
    /** The commands whose one argument is a room. */
    private static final List<String> ROOM_COMMANDS = List.of("/members", "/leave", "/invite");

    /**
     * Creates a completer of names and commands, without rooms.
     *
     * @param commands the commands, as typed ({@code /peers}, {@code :q}, ...)
     * @param names who the user can write to, asked for at each completion
     */
    public ChatCompleter(List<String> commands, Supplier<? extends List<String>> names) {
        this(commands, names, List::of);
    }

    /**
     * Creates the completer.
     *
     * @param commands the commands, as typed ({@code /peers}, {@code :q}, ...)
     * @param names who the user can write to (friends, room members, who wrote), asked for at
     *     each completion
     * @param rooms the names of the rooms the user is in, without {@code #}, asked for at each
     *     completion
     */
    public ChatCompleter(List<String> commands, Supplier<? extends List<String>> names,
            Supplier<? extends List<String>> rooms) {
        this.commands = List.copyOf(commands);
        this.names = Objects.requireNonNull(names, "names");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 1 && ROOM_COMMANDS.contains(line.words().get(0))) {
            String typed = line.word().substring(0, line.wordCursor());
            for (String room : rooms.get()) {
                if (room.startsWith(typed) && Printable.of(room).equals(room)) {
                    candidates.add(new Candidate(room));
                }
            }
            return;
        }
        if (line.wordIndex() != 0) {
            return;
        }
        String typed = line.word().substring(0, line.wordCursor());
        if (typed.startsWith("#")) {
            for (String room : rooms.get()) {
                // Complete: a space follows, then the message.
                if (("#" + room).startsWith(typed) && Printable.of(room).equals(room)) {
                    candidates.add(new Candidate("#" + room));
                }
            }
            return;
        }
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
        for (String room : rooms.get()) {
            if (typed.isEmpty() && Printable.of(room).equals(room)) {
                candidates.add(new Candidate("#" + room));
            }
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
