package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.PeerAddress;

class CommandInterpreterTest {
    private final CommandInterpreter interpreter = new CommandInterpreter();

    @Test
    void historyTakesAPeerOrARoomAndSearchTakesTheRestOfTheLine() {
        assertEquals(new Command.ShowHistory("bob"), interpreter.parse("/history bob"));
        assertEquals(new Command.ShowHistory("#general"), interpreter.parse("/history #general"));
        assertEquals(new Command.Search("lunch  on friday"),
                interpreter.parse("/search lunch  on friday "));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_HISTORY),
                interpreter.parse("/history"));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_HISTORY),
                interpreter.parse("/history bob carol"));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_SEARCH),
                interpreter.parse("/search"));
    }

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
    @ValueSource(strings = {"/", "/hi", "/ /x"})
    void unknownCommandsAreInvalid(String line) {
        assertInstanceOf(Command.Invalid.class, interpreter.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "bob hi", "  hello there  "})
    void plainTextIsForTheCurrentRoom(String line) {
        Command.Say say = assertInstanceOf(Command.Say.class, interpreter.parse(line));
        assertEquals(line.strip(), say.text());
    }

    @Test
    void plainTextWithoutASlashExplainsTheFormatForWhenThereIsNoRoom() {
        Command.Say say = assertInstanceOf(Command.Say.class, interpreter.parse("hello"));
        assertTrue(say.withoutRoom().contains("friend/message"), say.withoutRoom());
    }

    @Test
    void textWhoseSlashFollowsSomethingThatIsNotANameIsPlainTextSayingSoWithoutARoom() {
        Command.Say say = assertInstanceOf(Command.Say.class, interpreter.parse("bo b/hi"));
        assertEquals("bo b/hi", say.text());
        assertTrue(say.withoutRoom().contains("'bo b' is not a name"), say.withoutRoom());
        assertEquals("see http://x/y", assertInstanceOf(Command.Say.class,
                interpreter.parse("see http://x/y")).text());
    }

    @Test
    void hashRoomAndTextPublishesInThatRoom() {
        assertEquals(new Command.RoomSay("general", "hi all, see a/b"),
                interpreter.parse("  #general   hi all, see a/b "));
        assertEquals(new Command.RoomSay("general", "bob/not a direct message"),
                interpreter.parse("#general bob/not a direct message"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#general", "#general   "})
    void hashRoomWithoutTextIsInvalidAndSaysHowToTypeOne(String line) {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, interpreter.parse(line));
        assertEquals("empty message for #general; type #general <message>", invalid.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"# not a room", "#!? what", "#"})
    void hashWithoutARoomNameIsPlainText(String line) {
        assertEquals(line.strip(), assertInstanceOf(Command.Say.class, interpreter.parse(line))
                .text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/create lobby", "/create #lobby", " /CREATE lobby "})
    void createMakesARoom(String line) {
        assertEquals(new Command.CreateRoom("lobby"), interpreter.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/create", "/create a b", "/create no#name"})
    void createWithoutOneRoomNameIsAOneLineUsage(String line) {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, interpreter.parse(line));
        assertTrue(invalid.problem().endsWith("usage: /create ROOM (an invite-only room; /invite"
                + " prints its invite)"), invalid.problem());
    }

    @Test
    void joinRoomThroughAnAddressJoinsThatRoomThere() {
        assertEquals(new Command.JoinRoom("lobby", PeerAddress.parse("127.0.0.1:7001")),
                interpreter.parse("/join lobby 127.0.0.1:7001"));
        assertEquals(new Command.JoinRoom("lobby", PeerAddress.parse("[::1]:7001")),
                interpreter.parse("/join #lobby [::1]:7001"));
    }

    @Test
    void joinAnAddressAloneJoinsTheDefaultRoom() {
        assertEquals(new Command.JoinRoom("general", PeerAddress.parse("127.0.0.1:7001")),
                interpreter.parse("/join 127.0.0.1:7001"));
    }

    @Test
    void joinAnInviteKeepsTheInviteAsTyped() {
        String invite = "p2pchat://127.0.0.1:7001/secret?id=AbC&k=XyZ&s=sEcReT";
        assertEquals(new Command.JoinInvite(invite), interpreter.parse("/join " + invite));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/join", "/join lobby", "/join lobby nowhere", "/join a b c",
        "/join 127.0.0.1"})
    void joinWithTheWrongArgumentsIsAOneLineUsage(String line) {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, interpreter.parse(line));
        assertTrue(invalid.problem().endsWith("usage: /join ROOM HOST:PORT, /join HOST:PORT (room"
                + " general) or /join INVITE"), invalid.problem());
    }

    @Test
    void inviteMembersAndLeaveNameARoomOrMeanTheCurrentOne() {
        assertEquals(new Command.ShowInvite("lobby"), interpreter.parse("/invite lobby"));
        assertEquals(new Command.ShowInvite(null), interpreter.parse("/invite"));
        assertEquals(new Command.ListMembers("lobby"), interpreter.parse("/members #lobby"));
        assertEquals(new Command.ListMembers(null), interpreter.parse("/members"));
        assertEquals(new Command.LeaveRoom("lobby"), interpreter.parse("/leave lobby"));
        assertEquals(new Command.LeaveRoom(null), interpreter.parse("/leave"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/invite a b", "/members a b", "/leave a b", "/members no#room"})
    void inviteMembersAndLeaveWithMoreThanOneRoomAreAOneLineUsage(String line) {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, interpreter.parse(line));
        String command = line.split(" ")[0];
        assertTrue(invalid.problem().endsWith("usage: " + command + " [ROOM]"), invalid.problem());
    }

    @Test
    void roomsListsTheRoomsAndTakesNoArguments() {
        assertEquals(new Command.ListRooms(), interpreter.parse("/rooms"));
        assertEquals(new Command.Invalid("usage: /rooms"), interpreter.parse("/rooms general"));
        assertEquals(new Command.Invalid("usage: /peers"), interpreter.parse("/peers all"));
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
    @ValueSource(strings = {"/stats", " /stats ", "/Stats"})
    void statsShowsTheStatsAndTakesNoArguments(String line) {
        assertEquals(new Command.ShowStats(), interpreter.parse(line));
        assertEquals(new Command.Invalid("usage: /stats"), interpreter.parse(line + " bob"));
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

    @Test
    void sendTakesANameAndThePathToTheEndOfTheLineSpacesIncluded() {
        assertEquals(new Command.SendFile("bob", "/tmp/my report.pdf"),
                interpreter.parse("/send bob /tmp/my report.pdf"));
        assertEquals(new Command.SendFile("bob", "notes.txt"), interpreter.parse("/SEND  bob  notes.txt "));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_SEND), interpreter.parse("/send bob"));
        assertEquals(new Command.Invalid("'b/b' is not a name; " + CommandInterpreter.USAGE_SEND),
                interpreter.parse("/send b/b file"));
    }

    @Test
    void acceptAndRejectTakeAnOptionalOfferNumber() {
        assertEquals(new Command.AcceptFile(null), interpreter.parse("/accept"));
        assertEquals(new Command.AcceptFile(12), interpreter.parse("/accept 12"));
        assertEquals(new Command.RejectFile(3), interpreter.parse("/reject 3"));
        assertEquals(new Command.RejectFile(null), interpreter.parse("/refuse"));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_ACCEPT), interpreter.parse("/accept x"));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_REJECT), interpreter.parse("/reject 0"));
        assertEquals(new Command.Invalid(CommandInterpreter.USAGE_ACCEPT), interpreter.parse("/accept 1 2"));
    }
}
