package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.p2pchat.examples.console.ChatCompleter;

/** What Tab offers, for the line as typed up to the cursor. */
class ChatCompleterTest {
    private final List<String> names = new CopyOnWriteArrayList<>(List.of("bob", "bert", "carol"));
    private final ChatCompleter completer = new ChatCompleter(CommandInterpreter.COMMANDS,
            () -> names);

    @Test
    void aNameCompletesToTheNameAndASlashWithoutASpace() {
        List<Candidate> offered = complete("bo");
        assertEquals(List.of("bob/"), values(offered));
        assertFalse(offered.get(0).complete(), "no space after the slash");
        assertEquals("bob", offered.get(0).displ());
        assertEquals(List.of("bob/", "bert/"), values(complete("b")));
    }

    @Test
    void aSlashOrAColonCompletesTheCommands() {
        assertEquals(List.of("/peers"), values(complete("/pe")));
        assertEquals(List.of("/key"), values(complete("/k")));
        assertEquals(List.of("/peers", "/rooms", "/members", "/join", "/create", "/invite",
                "/leave", "/history", "/search", "/send", "/accept", "/reject", "/stats", "/key",
                "/whoami", "/help", "/quit"), values(complete("/")));
        assertEquals(List.of("/search", "/send", "/stats"), values(complete("/s")));
        assertEquals(List.of("/stats"), values(complete("/st")));
        assertEquals(List.of(":q"), values(complete(":")));
    }

    @Test
    void anEmptyLineOffersEveryCommandAndEveryName() {
        List<String> expected = new ArrayList<>(CommandInterpreter.COMMANDS);
        expected.addAll(List.of("bob/", "bert/", "carol/"));
        assertEquals(expected, values(complete("")));
    }

    @Test
    void namesAreAskedForAtEachCompletionSoSomeoneWhoJustWroteIsOffered() {
        assertEquals(List.of(), values(complete("ze")));
        names.add("zed");
        assertEquals(List.of("zed/"), values(complete("ze")));
    }

    @Test
    void nothingIsCompletedInsideAMessageOrAfterTheFirstWord() {
        assertEquals(List.of(), values(complete("bob/b")));
        assertEquals(List.of(), values(complete("bob/hi b")));
        assertEquals(List.of(), values(complete("hello b")));
    }

    @Test
    void everyCommandOfferedIsOneTheInterpreterUnderstands() {
        for (String command : CommandInterpreter.COMMANDS) {
            Command parsed = new CommandInterpreter().parse(command);
            // Those that need a room say how to give one, not that the command is unknown.
            assertFalse(parsed instanceof Command.Invalid invalid
                    && !invalid.problem().startsWith("usage: "), command + ": " + parsed);
        }
    }

    @Test
    void aHashCompletesTheRoomsWithASpaceForTheMessage() {
        List<Candidate> offered = roomCompleter.completeLine("#ge");
        assertEquals(List.of("#general"), values(offered));
        assertTrue(offered.get(0).complete(), "a space follows");
        assertEquals(List.of("#general", "#games"), values(roomCompleter.completeLine("#")));
        assertEquals(List.of(), values(roomCompleter.completeLine("#general h")));
    }

    @Test
    void roomCommandsCompleteTheirRoomArgument() {
        assertEquals(List.of("general", "games"), values(roomCompleter.completeLine("/members g")));
        assertEquals(List.of("games"), values(roomCompleter.completeLine("/leave ga")));
        assertEquals(List.of("general", "games"), values(roomCompleter.completeLine("/invite ")));
        assertEquals(List.of(), values(roomCompleter.completeLine("/create g")));
    }

    @Test
    void roomMembersNamesAndRoomsAreOfferedOnAnEmptyLine() {
        names.add("dora");
        List<String> offered = values(roomCompleter.completeLine(""));
        assertTrue(offered.containsAll(List.of("#general", "#games", "dora/")), offered.toString());
        assertEquals(List.of("dora/"), values(roomCompleter.completeLine("do")));
    }

    private final Completing roomCompleter = new Completing(new ChatCompleter(
            CommandInterpreter.COMMANDS, () -> names, () -> List.of("general", "games")));

    /** A completer with the line editor's parser. */
    private record Completing(ChatCompleter completer) {
        List<Candidate> completeLine(String typed) {
            DefaultParser parser = new DefaultParser().quoteChars(new char[0])
                    .escapeChars(new char[0]);
            List<Candidate> candidates = new ArrayList<>();
            completer.complete(null, parser.parse(typed, typed.length(), ParseContext.COMPLETE),
                    candidates);
            return candidates;
        }
    }

    @Test
    void aNameATerminalWouldActOnIsNotOffered() {
        names.add("b\u202Eevil");
        assertEquals(List.of("bob/", "bert/"), values(complete("b")));
    }

    /** Completes with the cursor at the end of the line, parsed as the chat's line editor does. */
    private List<Candidate> complete(String typed) {
        DefaultParser parser = new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, parser.parse(typed, typed.length(), ParseContext.COMPLETE),
                candidates);
        return candidates;
    }

    private static List<String> values(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::value).toList();
    }
}
