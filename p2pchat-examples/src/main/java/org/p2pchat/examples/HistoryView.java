package org.p2pchat.examples;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.Peer;
import org.p2pchat.api.Room;
import org.p2pchat.api.StoreException;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * The console's view of the stored history: the last lines of the latest conversations when the
 * chat starts (as the seed's chat did), {@code /history NAME} and {@code /history #ROOM} paging
 * back from there, {@code /search WORDS} across every conversation. Each line is
 * {@code 2026-12-01 14:03 [bob] hi}, {@code [you -> bob] hi} or {@code [#general] bob: hi}, with
 * anything a terminal would act on replaced.
 *
 * <p>Called on the console's input thread only; it reads the store there.
 */
final class HistoryView {
    /** How many conversations the start shows. */
    static final int START_CONVERSATIONS = 5;
    /** How many lines of each the start shows. */
    static final int START_LINES = 5;
    /** How many lines {@code /history} and {@code /search} show at a time. */
    static final int PAGE = 20;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final Peer peer;
    private final ChatConsole console;
    /** The oldest record shown of each conversation: {@code /history} goes on before it. */
    private final Map<Conversation, HistoryRecord> shownFrom = new HashMap<>();

    HistoryView(Peer peer, ChatConsole console) {
        this.peer = peer;
        this.console = console;
    }

    /** Prints the latest lines of the latest conversations, the most recent last. */
    void start() {
        List<Conversation> latest;
        try {
            latest = peer.conversations(START_CONVERSATIONS);
        } catch (StoreException e) {
            console.println("! cannot read the history: " + e.getMessage());
            return;
        }
        for (int i = latest.size() - 1; i >= 0; i--) {
            Conversation c = latest.get(i);
            List<HistoryRecord> page = peer.history(c, HistoryQuery.latest(START_LINES));
            console.println("--- " + title(c) + " (/history " + handle(c) + " for more) ---");
            printOldestFirst(c, page);
        }
        if (!latest.isEmpty()) {
            console.println("--- end of history ---");
        }
    }

    /**
     * Pages back through a conversation: the latest lines the first time, then the lines before
     * those shown last.
     *
     * @param target a name, or {@code #room}
     */
    void page(String target) {
        Optional<Conversation> found = find(target);
        if (found.isEmpty()) {
            console.println("! no history with " + Printable.of(target));
            return;
        }
        Conversation c = found.get();
        HistoryRecord from = shownFrom.get(c);
        List<HistoryRecord> page = peer.history(c, from == null ? HistoryQuery.latest(PAGE)
                : HistoryQuery.before(from, PAGE));
        if (page.isEmpty()) {
            console.println("* no older messages with " + title(c));
            return;
        }
        console.println("--- " + title(c) + (page.size() < PAGE ? ", from the start" : "")
                + " ---");
        printOldestFirst(c, page);
    }

    /**
     * Prints the latest messages whose text holds every word, newest last.
     *
     * @param words the words
     */
    void search(String words) {
        List<HistoryRecord> found = peer.search(words, PAGE);
        if (found.isEmpty()) {
            console.println("* no message holds " + Printable.of(words));
            return;
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            console.println(line(found.get(i)));
        }
    }

    private void printOldestFirst(Conversation c, List<HistoryRecord> page) {
        for (int i = page.size() - 1; i >= 0; i--) {
            console.println(line(page.get(i)));
        }
        if (!page.isEmpty()) {
            shownFrom.put(c, page.get(page.size() - 1));
        }
    }

    private Optional<Conversation> find(String target) {
        boolean room = target.startsWith("#");
        String name = room ? target.substring(1) : target;
        if (room) {
            Optional<Room> joined = peer.room(name);
            if (joined.isPresent()) {
                return Optional.of(joined.get().conversation());
            }
        } else {
            Optional<Conversation> direct = peer.conversation(name);
            if (direct.isPresent()) {
                return direct;
            }
        }
        // A room left, or a peer not known this session: by the name its history was written with.
        Conversation.Kind kind = room ? Conversation.Kind.ROOM : Conversation.Kind.DIRECT;
        List<Conversation> all = new ArrayList<>(peer.conversations(1000));
        return all.stream().filter(c -> c.kind() == kind && c.name().equals(name)).findFirst();
    }

    private static String title(Conversation c) {
        return c.kind() == Conversation.Kind.ROOM ? "#" + Printable.of(c.name())
                : Printable.of(c.name());
    }

    private static String handle(Conversation c) {
        return c.kind() == Conversation.Kind.ROOM ? "#" + c.name() : c.name();
    }

    /**
     * Formats a stored message as the history shows it.
     *
     * @param r the record
     * @return the line
     */
    static String line(HistoryRecord r) {
        String when = TIME.format(r.sentAt()) + " ";
        String text = Printable.of(r.text()) + state(r);
        if (r.conversation().kind() == Conversation.Kind.ROOM) {
            return when + "[#" + Printable.of(r.conversation().name()) + "] "
                    + (r.outgoing() ? "you" : Printable.of(r.sender())) + ": " + text;
        }
        return when + (r.outgoing() ? "[you -> " + Printable.of(r.conversation().name()) + "] "
                : "[" + Printable.of(r.sender()) + "] ") + text;
    }

    private static String state(HistoryRecord r) {
        return switch (r.state()) {
            case PENDING -> " (not delivered yet)";
            case FAILED -> " (not delivered)";
            default -> "";
        };
    }
}
