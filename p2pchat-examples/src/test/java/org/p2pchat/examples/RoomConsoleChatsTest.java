package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.examples.ChatApp.assertNoErrors;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's rooms, end to end: console apps in one JVM over the nio transport on 127.0.0.1,
 * typed into through stdin. alice is the only one in the user_info table; everyone else starts
 * with {@code --join} and no table entry, so listens on a port it picks.
 */
class RoomConsoleChatsTest {
    private static final Pattern GREETING = Pattern.compile(
            "(\\S+) listening on (127\\.0\\.0\\.1:(\\d+)), key \\S+ - .*");

    private final List<ChatApp> apps = new ArrayList<>();
    private Path dir;
    private Path table;
    private String aliceAddress;
    private ChatApp alice;

    @BeforeEach
    void startAlice(@TempDir Path dir) throws IOException {
        this.dir = dir;
        int port = FreePorts.pick(1)[0];
        aliceAddress = "127.0.0.1:" + port;
        table = Files.writeString(dir.resolve("user_info"), "alice " + aliceAddress + "\n",
                StandardCharsets.UTF_8);
        alice = start("alice");
        alice.stdout.awaitLine("* #general is open: others join with ./chat NAME --join "
                + aliceAddress + " (invite-only rooms: /create)");
        alice.stdout.awaitLineStartingWith("* or with its invite: p2pchat://" + aliceAddress
                + "/general?");
    }

    @AfterEach
    void stopEveryone() {
        for (ChatApp app : apps) {
            app.close();
        }
    }

    private ChatApp start(String name, String... more) {
        List<String> args = new ArrayList<>(List.of(name, "--user-info", table.toString(),
                "--state-dir", dir.resolve(name + "-state").toString(), "--delivery-timeout",
                "5s"));
        args.addAll(List.of(more));
        ChatApp app = ChatApp.start(args.toArray(new String[0]));
        apps.add(app);
        return app;
    }

    /** Waits for the greeting and returns the address it says the chat listens on. */
    private static String listenAddress(ChatApp app) {
        Matcher m = GREETING.matcher(app.stdout.awaitLine("the greeting",
                l -> GREETING.matcher(l).matches()));
        assertTrue(m.matches());
        return m.group(2);
    }

    @Test
    void threeConsolesJoinARoomThroughOneAnotherSeeEachOthersMessagesOnceAndTheLeave() {
        ChatApp bob = start("bob", "--join", aliceAddress);
        String bobAddress = listenAddress(bob);
        bob.stdout.awaitLine("* you joined #general through " + aliceAddress
                + ", with alice; type a message for it, /members lists who is in");
        alice.stdout.awaitLine("* bob joined #general");

        ChatApp carol = start("carol", "--join", bobAddress);
        listenAddress(carol);
        carol.stdout.awaitLineStartingWith("* you joined #general through " + bobAddress
                + ", with ");
        alice.stdout.awaitLine("* carol joined #general");
        bob.stdout.awaitLine("* carol joined #general");

        alice.type("hello from alice");
        bob.type("hi from bob, see a/b");
        carol.type("#general hey from carol");
        List<ChatApp> everyone = List.of(alice, bob, carol);
        List<String> lines = List.of("[#general] alice: hello from alice",
                "[#general] bob: hi from bob, see a/b", "[#general] carol: hey from carol");
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    everyone.get(j).stdout.awaitLine(lines.get(i));
                }
            }
        }
        carol.type("/peers");
        // alice is in carol's table too (the only entry). Whether the table's alice is bound to
        // her key depends on who connected to whom first: "table", or "table+room" if not.
        carol.stdout.awaitLine("carol's row for alice", l -> l.matches("  alice\\s+"
                + Pattern.quote(aliceAddress) + "\\s+table(\\+room)?\\s+(connected|idle)\\s+\\S.*\\s+"
                + "\\p{XDigit}{4}(-\\p{XDigit}{4}){3} trusted\\s+#general"));
        carol.stdout.awaitLine("carol's row for bob", l -> l.matches("  bob\\s+"
                + Pattern.quote(bobAddress) + "\\s+room\\s+connected\\s+.*#general"));
        carol.stdout.awaitLine("carol's own row", l -> l.matches("  carol\\s+127\\.0\\.0\\.1:\\d+"
                + "\\s+you\\s+listening\\s+-\\s+\\S+\\s+#general"));

        // bob joined through alice's address, which his table lists for alice: the library meets
        // her there as his table's alice (her key trusted on first use), so one row for her.
        bob.type("/peers");
        bob.stdout.awaitLine("bob's row for alice", l -> l.matches("  alice\\s+"
                + Pattern.quote(aliceAddress) + "\\s+table\\s+connected\\s+.*trusted\\s+#general"));
        assertEquals(1, bob.stdout.lines().stream().filter(l -> l.startsWith("  alice ")).count(),
                bob.stdout.toString());

        // A room member is written to by name, although no table lists it.
        carol.type("alice/psst");
        alice.stdout.awaitLine("[carol (not in table)] psst");

        carol.type(":q");
        assertEquals(ConsoleChat.EXIT_OK, carol.awaitExit());
        alice.stdout.awaitLine("* carol left #general");
        bob.stdout.awaitLine("* carol left #general");

        for (ChatApp app : everyone) {
            for (String line : lines) {
                long times = app.stdout.lines().stream().filter(line::equals).count();
                assertEquals(line.contains("] " + nameOf(app, everyone) + ":") ? 0 : 1, times,
                        line + " in " + app.stdout);
            }
            assertFalse(app.stdout.lines().stream().anyMatch(l -> l.contains("unreachable")),
                    app.stdout.toString());
        }
        assertNoErrors(alice, bob, carol);
    }

    private static String nameOf(ChatApp app, List<ChatApp> everyone) {
        return List.of("alice", "bob", "carol").get(everyone.indexOf(app));
    }

    @Test
    void aConsoleStartedWithJoinAndNoTableEntryPrintsTheAddressItPickedAndListensThere()
            throws IOException {
        ChatApp dan = start("dan", "--join", aliceAddress);
        String address = listenAddress(dan);
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
        assertNotEquals(0, port);
        assertNotEquals(aliceAddress, address);
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            assertTrue(s.isConnected());
        }
        dan.stdout.awaitLineStartingWith("* you joined #general through " + aliceAddress);
        alice.type("/members");
        alice.stdout.awaitLine("dan's member row", l -> l.matches("  dan\\s+"
                + Pattern.quote(address) + "\\s+(connected|idle)\\s+\\S+"));
    }

    @Test
    void anInviteOnlyRoomIsJoinedWithTheInviteItsCreatorPrintedAndNotWithoutIt() {
        alice.type("/create secret");
        alice.stdout.awaitLineStartingWith("* created #secret (invite-only); others join with");
        String invite = alice.stdout.awaitLineStartingWith("  p2pchat://" + aliceAddress
                + "/secret?").strip();

        ChatApp eve = start("eve", "--join", aliceAddress);
        eve.stdout.awaitLineStartingWith("* you joined #general");
        eve.type("/join secret " + aliceAddress);
        eve.stdout.awaitLine("the refusal", l -> l.startsWith("! ") && l.contains("#secret is"
                + " invite-only"));

        ChatApp bob = start("bob", "--join", invite);
        bob.stdout.awaitLine("* you joined #secret through " + aliceAddress
                + ", with alice; type a message for it, /members lists who is in");
        bob.type("psst, secret");
        alice.stdout.awaitLine("[#secret] bob: psst, secret");
        bob.type("/rooms");
        bob.stdout.awaitLine("bob's room row", l -> l.matches("  #secret\\s+invite-only\\s+2"
                + " members\\s+\\(plain text goes here\\)"));
        assertTrue(eve.stdout.lines().stream().noneMatch(l -> l.contains("psst")),
                eve.stdout.toString());
    }

    @Test
    void plainTextGoesToTheRoomLastWrittenToAndSaysWhereWhenThereAreSeveral() {
        ChatApp bob = start("bob", "--join", aliceAddress);
        bob.stdout.awaitLineStartingWith("* you joined #general");
        alice.type("/create side");
        String invite = alice.stdout.awaitLineStartingWith("  p2pchat://").strip();
        bob.type("/join " + invite);
        bob.stdout.awaitLineStartingWith("* you joined #side");

        bob.type("to the side room");
        bob.stdout.awaitLine("* to #side");
        alice.stdout.awaitLine("[#side] bob: to the side room");
        bob.type("#general back to general");
        alice.stdout.awaitLine("[#general] bob: back to general");
        bob.type("and more for general");
        alice.stdout.awaitLine("[#general] bob: and more for general");

        bob.type("/leave general");
        bob.stdout.awaitLine("* you left #general");
        alice.stdout.awaitLine("* bob left #general");
        bob.type("#general anyone?");
        bob.stdout.awaitLineStartingWith("! you are not in #general; /rooms lists yours");
    }
}
