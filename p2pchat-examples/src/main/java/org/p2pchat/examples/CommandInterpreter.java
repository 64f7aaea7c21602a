package org.p2pchat.examples;

import java.util.List;
import java.util.Locale;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;

/**
 * Reads one input line: {@code friend/message} as in the seed design (split at the first
 * {@code /}, since names cannot contain one and messages may), {@code #room message}, plain text
 * for the current room, the slash commands, and the seed's {@code :q}.
 *
 * <p>Only the syntax is checked here; whether the friend or the room exists is the session's
 * question, because it needs the peer. A command with the wrong arguments is
 * {@link Command.Invalid} with a one-line usage. Stateless and thread-safe.
 */
public final class CommandInterpreter {
    /** The commands as the user types them, for completion: each is understood by {@link #parse}. */
    public static final List<String> COMMANDS = List.of("/peers", "/rooms", "/members", "/join",
            "/create", "/invite", "/leave", "/history", "/search", "/send", "/accept",
            "/reject", "/stats", "/key", "/whoami", "/help", "/quit", ":q");

    /** The room {@code /join HOST:PORT} and {@code --join HOST:PORT} join. */
    public static final String DEFAULT_ROOM = "general";

    /** Where an invite starts. */
    static final String INVITE_SCHEME = "p2pchat://";

    static final String USAGE_CREATE = "usage: /create ROOM (an invite-only room; /invite prints"
            + " its invite)";
    static final String USAGE_JOIN = "usage: /join ROOM HOST:PORT, /join HOST:PORT (room "
            + DEFAULT_ROOM + ") or /join INVITE";
    static final String USAGE_INVITE = "usage: /invite [ROOM]";
    static final String USAGE_MEMBERS = "usage: /members [ROOM]";
    static final String USAGE_LEAVE = "usage: /leave [ROOM]";
    static final String USAGE_ROOMS = "usage: /rooms";
    static final String USAGE_HISTORY = "usage: /history NAME or /history #ROOM";
    static final String USAGE_SEARCH = "usage: /search WORDS";
    static final String USAGE_SEND = "usage: /send NAME PATH (offers NAME the file at PATH)";
    static final String USAGE_ACCEPT = "usage: /accept [ID] (the number the offer was printed"
            + " with; without it, the oldest offer)";
    static final String USAGE_REJECT = "usage: /reject [ID] (the number the offer was printed"
            + " with; without it, the oldest offer)";

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
        if (s.startsWith("#")) {
            Command room = roomMessage(s);
            if (room != null) {
                return room;
            }
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new Command.Say(s, FORMAT_HINT);
        }
        String friend = s.substring(0, slash).strip();
        String text = s.substring(slash + 1).strip();
        if (!isName(friend)) {
            // Text that happens to hold a slash ("see a/b"): for the current room, if any.
            return new Command.Say(s, "'" + friend + "' is not a name; " + FORMAT_HINT);
        }
        if (text.isEmpty()) {
            return new Command.Invalid("empty message for " + friend + "; type " + friend
                    + "/<message>");
        }
        return new Command.Send(friend, text);
    }

    /** {@code #room text}, or null if what follows the {@code #} is not a room name. */
    private static Command roomMessage(String s) {
        int end = 1;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        String room = s.substring(1, end);
        if (!isName(room)) {
            return null;
        }
        String text = s.substring(end).strip();
        if (text.isEmpty()) {
            return new Command.Invalid("empty message for #" + room + "; type #" + room
                    + " <message>");
        }
        return new Command.RoomSay(room, text);
    }

    private static Command slashCommand(String s) {
        String[] words = s.substring(1).strip().split("\\s+");
        String command = words[0].toLowerCase(Locale.ROOT);
        int args = words[0].isEmpty() ? 0 : words.length - 1;
        switch (command) {
            case "peers":
                return args == 0 ? new Command.ListPeers() : new Command.Invalid("usage: /peers");
            case "stats":
                return args == 0 ? new Command.ShowStats() : new Command.Invalid("usage: /stats");
            case "key":
            case "whoami":
                return args == 0 ? new Command.ShowKey() : new Command.Invalid("usage: /" + command);
            case "help":
            case "?":
                return new Command.Help();
            case "quit":
            case "q":
                return new Command.Quit();
            case "history":
                if (args != 1 || !(isName(words[1]) || roomName(words[1]) != null
                        && words[1].startsWith("#"))) {
                    return new Command.Invalid(USAGE_HISTORY);
                }
                return new Command.ShowHistory(words[1]);
            case "search":
                return args == 0 ? new Command.Invalid(USAGE_SEARCH)
                        : new Command.Search(s.substring(1).strip().substring(words[0].length())
                                .strip());
            case "rooms":
                return args == 0 ? new Command.ListRooms() : new Command.Invalid(USAGE_ROOMS);
            case "create":
                if (args != 1) {
                    return new Command.Invalid(USAGE_CREATE);
                }
                String created = roomName(words[1]);
                return created == null ? notARoom(words[1], USAGE_CREATE)
                        : new Command.CreateRoom(created);
            case "join":
                return join(words, args);
            case "invite":
                return optionalRoom(words, args, USAGE_INVITE, Command.ShowInvite::new);
            case "members":
                return optionalRoom(words, args, USAGE_MEMBERS, Command.ListMembers::new);
            case "leave":
            case "part":
                return optionalRoom(words, args, USAGE_LEAVE, Command.LeaveRoom::new);
            case "send":
                return sendFile(s);
            case "accept":
                return optionalOffer(words, args, USAGE_ACCEPT, Command.AcceptFile::new);
            case "reject":
            case "refuse":
                return optionalOffer(words, args, USAGE_REJECT, Command.RejectFile::new);
            default:
                return new Command.Invalid("unknown command '" + s + "'; /help lists the commands");
        }
    }

    /** {@code /send NAME PATH}: the path is the rest of the line, spaces and all. */
    private static Command sendFile(String s) {
        String rest = s.substring(1).strip().substring("send".length()).strip();
        int space = rest.indexOf(' ');
        if (space < 0) {
            return new Command.Invalid(USAGE_SEND);
        }
        String friend = rest.substring(0, space);
        String path = rest.substring(space + 1).strip();
        if (!isName(friend)) {
            return new Command.Invalid("'" + friend + "' is not a name; " + USAGE_SEND);
        }
        return new Command.SendFile(friend, path);
    }

    private static Command optionalOffer(String[] words, int args, String usage,
            java.util.function.Function<Integer, Command> make) {
        if (args == 0) {
            return make.apply(null);
        }
        if (args != 1 || !words[1].matches("[1-9][0-9]{0,8}")) {
            return new Command.Invalid(usage);
        }
        return make.apply(Integer.valueOf(words[1]));
    }

    private static Command join(String[] words, int args) {
        if (args == 1 && words[1].startsWith(INVITE_SCHEME)) {
            return new Command.JoinInvite(words[1]);
        }
        if (args == 1) {
            PeerAddress address = address(words[1]);
            return address == null ? new Command.Invalid(USAGE_JOIN)
                    : new Command.JoinRoom(DEFAULT_ROOM, address);
        }
        if (args != 2) {
            return new Command.Invalid(USAGE_JOIN);
        }
        String room = roomName(words[1]);
        if (room == null) {
            return notARoom(words[1], USAGE_JOIN);
        }
        PeerAddress address = address(words[2]);
        if (address == null) {
            return new Command.Invalid("'" + words[2] + "' is not HOST:PORT; " + USAGE_JOIN);
        }
        return new Command.JoinRoom(room, address);
    }

    private static Command optionalRoom(String[] words, int args, String usage,
            java.util.function.Function<String, Command> make) {
        if (args == 0) {
            return make.apply(null);
        }
        if (args != 1) {
            return new Command.Invalid(usage);
        }
        String room = roomName(words[1]);
        return room == null ? notARoom(words[1], usage) : make.apply(room);
    }

    /** A room as typed, with or without its {@code #}; null if not a valid name. */
    private static String roomName(String typed) {
        String room = typed.startsWith("#") ? typed.substring(1) : typed;
        return isName(room) ? room : null;
    }

    private static Command notARoom(String typed, String usage) {
        return new Command.Invalid("'" + typed + "' is not a room name; " + usage);
    }

    private static PeerAddress address(String typed) {
        try {
            return PeerAddress.parse(typed);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isName(String s) {
        try {
            PeerEntry.validateName(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
