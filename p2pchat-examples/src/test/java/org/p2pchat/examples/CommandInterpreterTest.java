package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandInterpreterTest {
    private final CommandInterpreter interpreter = new CommandInterpreter();

    @Test
    void friendSlashMessageIsASend() {
        assertEquals(new Command.Send("bob", "hi"), interpreter.parse("bob/hi"));
    }

    @Test
    void spacesAroundTheLineTheNameAndTheMessageAreIgnored() {
        assertEquals(new Command.Send("bob", "hi there"), interpreter.parse("  bob / hi there  "));
        assertEquals(new Command.Send("bob", "hi"), interpreter.parse("\tbob/hi\t"));
    }

    @Test
    void lineIsSplitAtTheFirstSlashSoMessagesMayContainSlashes() {
        assertEquals(new Command.Send("carol", "see a/b and http://x/y"),
                interpreter.parse("carol/see a/b and http://x/y"));
        assertEquals(new Command.Send("bob", "/peers"), interpreter.parse("bob//peers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob/", "bob/   ", "bob /"})
    void emptyMessageIsInvalidAndSaysHowToTypeOne(String line) {
        Command command = interpreter.parse(line);
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, command);
        assertTrue(invalid.problem().contains("empty message for bob"), invalid.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "bob hi", "/", "/hi", "/ /x"})
    void lineWithoutAFriendOrWithAnUnknownCommandIsInvalid(String line) {
        assertInstanceOf(Command.Invalid.class, interpreter.parse(line));
    }

    @Test
    void lineWithoutASlashExplainsTheFormat() {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, interpreter.parse("hello"));
        assertTrue(invalid.problem().contains("friend/message"), invalid.problem());
    }

    @Test
    void nameWithSpacesIsNotAName() {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class,
                interpreter.parse("bo b/hi"));
        assertTrue(invalid.problem().contains("'bo b' is not a name"), invalid.problem());
    }

    @Test
    void unknownCommandIsInvalidAndPointsAtHelp() {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class,
                interpreter.parse("/frobnicate"));
        assertTrue(invalid.problem().contains("unknown command '/frobnicate'"), invalid.problem());
        assertTrue(invalid.problem().contains("/help"), invalid.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {":q", " :q ", "/quit", "/QUIT", "/q"})
    void colonQAndQuitLeave(String line) {
        assertEquals(new Command.Quit(), interpreter.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/peers", " /peers ", "/Peers"})
    void peersListsThePeers(String line) {
        assertEquals(new Command.ListPeers(), interpreter.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/key", "/whoami", " /KEY "})
    void keyAndWhoamiShowTheKey(String line) {
        assertEquals(new Command.ShowKey(), interpreter.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/help", "/?"})
    void helpShowsHelp(String line) {
        assertEquals(new Command.Help(), interpreter.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void blankLineDoesNothing(String line) {
        assertEquals(new Command.Nothing(), interpreter.parse(line));
    }

    @Test
    void colonQInsideAMessageIsJustText() {
        assertEquals(new Command.Send("bob", ":q"), interpreter.parse("bob/:q"));
    }
}
