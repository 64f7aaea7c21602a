package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each room command does in one console on its own (a peer on a free port of 127.0.0.1, no
 * one else): the lines it prints, and a one-line error for a room it is not in.
 */
class RoomCommandsTest {
    @TempDir
    Path dir;
    private final List<ChatApp> apps = new ArrayList<>();

    @AfterEach
    void stop() {
        for (ChatApp app : apps) {
            app.close();
        }
    }

    private ChatApp start(String... more) {
        List<String> args = new ArrayList<>(List.of("alice", "--listen", "127.0.0.1:0",
                "--state-dir", dir.resolve("alice-" + apps.size()).toString()));
        args.addAll(List.of(more));
        ChatApp app = ChatApp.start(args.toArray(new String[0]));
        apps.add(app);
        app.awaitFingerprint();
        return app;
    }

    @Test
    void atStartTheConsoleOpensGeneralAndRoomsListsIt() {
        ChatApp alice = start();
        alice.stdout.awaitLineStartingWith("* #general is open: others join with ./chat NAME"
                + " --join 127.0.0.1:");
        alice.type("/rooms");
        alice.stdout.awaitLine("  #general  open         1 member   (plain text goes here)");
    }

    @Test
    void roomOptionNamesTheRoomOpenedAtStart() {
        ChatApp alice = start("--room", "lobby");
        String line = alice.stdout.awaitLineStartingWith("* #lobby is open: ");
        assertTrue(line.endsWith(" --room lobby (invite-only rooms: /create)"), line);
    }

    @Test
    void createMakesAnInviteOnlyRoomPrintsItsInviteAndMakesItCurrent() {
        ChatApp alice = start();
        alice.type("/create secret");
        alice.stdout.awaitLine("* created #secret (invite-only); others join with /join INVITE or"
                + " ./chat NAME --join INVITE, where INVITE is (send it only to them):");
        String invite = alice.stdout.awaitLineStartingWith("  p2pchat://127.0.0.1:");
        assertTrue(invite.contains("/secret?") && invite.contains("&s="), invite);
        alice.type("/rooms");
        alice.stdout.awaitLine("  #secret   invite-only  1 member   (plain text goes here)");
        alice.stdout.awaitLine("  #general  open         1 member");
        alice.type("/invite");
        alice.stdout.awaitLine("* the invite to #secret (whoever has it can join; send it only to"
                + " them):");
        alice.type("/create secret");
        alice.stdout.awaitLineStartingWith("! cannot create #secret: ");
    }

    @Test
    void inviteOfAnOpenRoomSaysHowToJoinItByAddressToo() {
        ChatApp alice = start();
        alice.type("/invite general");
        alice.stdout.awaitLine("the open room's line", l -> l.matches("\\* #general is open:"
                + " /join general 127\\.0\\.0\\.1:\\d+, or this invite:"));
        alice.stdout.awaitLine("the invite", l -> l.matches("  p2pchat://127\\.0\\.0\\.1:\\d+"
                + "/general\\?\\S+") && !l.contains("&s="));
    }

    @Test
    void membersListsTheMembersWithTheirStateAndFingerprint() {
        ChatApp alice = start();
        String key = alice.awaitFingerprint();
        alice.type("/members #general");
        alice.stdout.awaitLine("  #general (open), 1 member:");
        alice.stdout.awaitLine("alice's row", l -> l.matches("  alice  127\\.0\\.0\\.1:\\d+  you"
                + "\\s+" + key));
    }

    @Test
    void leaveLeavesTheRoomAndPlainTextGoesToTheOneLeft() {
        ChatApp alice = start();
        alice.type("/create side");
        alice.stdout.awaitLineStartingWith("* created #side");
        alice.type("/leave");
        alice.stdout.awaitLine("* you left #side");
        alice.stdout.awaitLine("* plain text now goes to #general");
        alice.type("/rooms");
        alice.stdout.awaitLine("  #general  open         1 member   (plain text goes here)");
    }

    @Test
    void aRoomThisConsoleIsNotInGetsAOneLineError() {
        ChatApp alice = start();
        for (String line : List.of("/members nope", "/invite nope", "/leave nope", "#nope hi")) {
            alice.type(line);
        }
        String error = "! you are not in #nope; /rooms lists yours, /join nope HOST:PORT joins it";
        alice.stdout.awaitLine("four errors",
                l -> alice.stdout.lines().stream().filter(error::equals).count() == 4);
    }

    @Test
    void withNoRoomPlainTextIsTheFormatErrorItWasAndRoomCommandsSaySo() {
        ChatApp alice = start("--no-room");
        alice.type("hello");
        alice.stdout.awaitLine("! expected friend/message, e.g. bob/hi (/help for help)");
        alice.type("/rooms");
        alice.stdout.awaitLine("  you are in no room; /join ROOM HOST:PORT, /join INVITE or"
                + " /create ROOM");
        alice.type("/members");
        alice.stdout.awaitLine("! you are in no room; usage: /members ROOM");
        assertTrue(alice.stdout.lines().stream().noneMatch(l -> l.contains("is open")),
                alice.stdout.toString());
    }

    @Test
    void aJoinThatCannotReachTheMemberPrintsWhy() {
        int nobody = FreePorts.pick(1)[0];
        ChatApp alice = start("--no-room");
        alice.type("/join lobby 127.0.0.1:" + nobody);
        alice.stdout.awaitLine("* joining #lobby through 127.0.0.1:" + nobody + "...");
        alice.stdout.awaitLineStartingWith("! cannot reach the member at 127.0.0.1:" + nobody
                + " to join #lobby: ");
        alice.type("/join p2pchat://nonsense");
        alice.stdout.awaitLineStartingWith("! not an invite: ");
    }

    @Test
    void joiningARoomThisConsoleIsInAlreadySaysSo() {
        ChatApp alice = start();
        alice.type("/join general 127.0.0.1:1");
        alice.stdout.awaitLine("! you are in #general already; /members general lists its"
                + " members");
    }

    @Test
    void helpListsEveryCommand() {
        ChatApp alice = start();
        alice.type("/help");
        alice.stdout.awaitLineStartingWith("  Tab ");
        String help = String.join("\n", alice.stdout.lines());
        for (String command : CommandInterpreter.COMMANDS) {
            assertTrue(help.contains(command), command + " in " + help);
        }
        assertTrue(help.contains("#room message"), help);
    }

    @Test
    void roomOptionsThatDoNotGoTogetherAreAOneLineStartError() {
        for (String[] args : List.of(new String[] {"--no-room", "--join", "127.0.0.1:7001"},
                new String[] {"--join", "nowhere"},
                new String[] {"--room", "x", "--join", "p2pchat://127.0.0.1:7001/x?id=a&k=b"},
                new String[] {"--room", "no room"})) {
            List<String> all = new ArrayList<>(List.of("alice", "--listen", "127.0.0.1:0",
                    "--state-dir", dir.resolve("never").toString()));
            all.addAll(List.of(args));
            ChatApp app = ChatApp.start(all.toArray(new String[0]));
            assertEquals(ConsoleChat.EXIT_BAD_START, app.awaitExit(), app.stderr.toString());
            assertEquals(1, app.stderr.lines().size(), app.stderr.toString());
            assertTrue(app.stderr.lines().get(0).startsWith("error: "), app.stderr.toString());
        }
    }
}
