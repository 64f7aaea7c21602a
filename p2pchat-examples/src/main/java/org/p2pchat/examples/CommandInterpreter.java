package org.p2pchat.examples;

import java.util.List;
import java.util.Locale;
import org.p2pchat.api.PeerEntry;

/**
 * Reads one input line: {@code friend/message} as in the seed design (split at the first
 * {@code /}, since names cannot contain one and messages may), a few slash commands, and the
 * seed's {@code :q}.
 *
 * <p>Only the syntax is checked here; whether the friend exists is the session's question, because
 * it needs the directory. Stateless and thread-safe.
 */
public final class CommandInterpreter {
    /** The commands as the user types them, for completion: each is understood by {@link #parse}. */
    public static final List<String> COMMANDS = List.of("/peers", "/key", "/whoami", "/help",
            "/quit", ":q");

    private static final String FORMAT_HINT = "expected friend/message, e.g. bob/hi (/help for help)";

    /**
     * Interprets a line.
     *
     * @param line the line as typed, without its terminator
     * @return the command; never null, {@link Command.Invalid} for anything not understood
     */
    public Command parse(String line) {
        String s = line.strip();
        if (s.isEmpty()) {
            return new Command.Nothing();
        }
        if (s.equals(":q")) {
            return new Command.Quit();
        }
        if (s.startsWith("/")) {
            return slashCommand(s);
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new Command.Invalid(FORMAT_HINT);
        }
        String friend = s.substring(0, slash).strip();
        String text = s.substring(slash + 1).strip();
        try {
            PeerEntry.validateName(friend);
        } catch (IllegalArgumentException e) {
            return new Command.Invalid("'" + friend + "' is not a name; " + FORMAT_HINT);
        }
        if (text.isEmpty()) {
            return new Command.Invalid("empty message for " + friend + "; type " + friend
                    + "/<message>");
        }
        return new Command.Send(friend, text);
    }

    private static Command slashCommand(String s) {
        switch (s.substring(1).strip().toLowerCase(Locale.ROOT)) {
            case "peers":
                return new Command.ListPeers();
            case "key":
            case "whoami":
                return new Command.ShowKey();
            case "help":
            case "?":
                return new Command.Help();
            case "quit":
            case "q":
                return new Command.Quit();
            default:
                return new Command.Invalid("unknown command '" + s + "'; /help lists the commands");
        }
    }
}
