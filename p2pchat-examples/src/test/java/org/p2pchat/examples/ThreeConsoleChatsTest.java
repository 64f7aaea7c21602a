package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.examples.ChatApp.assertNoErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.PeerKey;

/**
 * The end-to-end test: alice, bob and carol as three console apps in one JVM, typed into
 * through piped stdin and read back from stdout, talking over the nio transport on 127.0.0.1
 * (surefire sets {@code p2pchat.transport=nio}). dave is in the table on a port nobody listens on.
 *
 * <p>A message to an offline friend is retried until the delivery timeout and reported only then,
 * so the chats run with a short one ({@link #DELIVERY_TIMEOUT}): long enough for any message
 * between running chats on one machine to be acknowledged, short enough that an offline friend is
 * reported well within the tests' deadlines. It is also below the session's wait notice delay, so
 * no wait notice appears.
 */
class ThreeConsoleChatsTest {
    private static final String DELIVERY_TIMEOUT = "2s";

    private int alicePort;
    private int bobPort;
    private int carolPort;
    private int davePort;
    private ChatApp alice;
    private ChatApp bob;
    private ChatApp carol;
    private Path table;
    private String aliceKey;
    private String bobKey;

    @BeforeEach
    void startAliceBobAndCarol(@TempDir Path dir) throws IOException {
        int[] ports = FreePorts.pick(4);
        alicePort = ports[0];
        bobPort = ports[1];
        carolPort = ports[2];
        davePort = ports[3];
        Path userInfo = dir.resolve("user_info");
        table = userInfo;
        Files.writeString(userInfo, String.join("\n",
                "# written by " + getClass().getSimpleName(),
                "alice 127.0.0.1:" + alicePort,
                "bob   127.0.0.1:" + bobPort,
                "carol 127.0.0.1:" + carolPort,
                "dave  127.0.0.1:" + davePort + "   # never started",
                ""), StandardCharsets.UTF_8);
        alice = start("alice", userInfo, dir);
        bob = start("bob", userInfo, dir);
        carol = start("carol", userInfo, dir);
        aliceKey = alice.awaitFingerprint();
        alice.stdout.awaitLine("alice listening on 127.0.0.1:" + alicePort + ", key " + aliceKey
                + " - type friend/message, /help for help");
        bobKey = bob.awaitFingerprint();
        bob.stdout.awaitLineStartingWith("bob listening on 127.0.0.1:" + bobPort + ", key ");
        carol.stdout.awaitLineStartingWith("carol listening on 127.0.0.1:" + carolPort + ", key ");
    }

    /**
     * Starts a chat with its own state directory under the test's temporary directory and the
     * short delivery timeout.
     */
    private static ChatApp start(String name, Path userInfo, Path dir) {
        return ChatApp.start(name, "--user-info", userInfo.toString(), "--state-dir",
                dir.resolve(name + "-state").toString(), "--delivery-timeout", DELIVERY_TIMEOUT);
    }

    @AfterEach
    void stopEveryone() {
        for (ChatApp app : new ChatApp[] {alice, bob, carol}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void messageTypedAtAliceArrivesAtBobAndCarolAndRepliesComeBack() {
        alice.type("bob/hi");
        bob.stdout.awaitLine("[alice] hi");

        alice.type("carol / hello carol, see a/b ");
        carol.stdout.awaitLine("[alice] hello carol, see a/b");

        bob.type("alice/hi back");
        alice.stdout.awaitLine("[bob] hi back");

        carol.type("bob/from carol");
        bob.stdout.awaitLine("[carol] from carol");

        assertTrue(carol.stdout.lines().stream().noneMatch(l -> l.contains("[alice] hi")),
                "carol must not see alice's message to bob: " + carol.stdout);
        assertNoErrors(alice, bob, carol);
    }

    @Test
    void messagesFromOneFriendArriveInTheOrderTyped() {
        for (int i = 1; i <= 20; i++) {
            alice.type("bob/message " + i);
        }
        bob.stdout.awaitLine("[alice] message 20");
        List<String> received = bob.stdout.lines().stream()
                .filter(l -> l.startsWith("[alice] message ")).toList();
        assertEquals(20, received.size(), received.toString());
        for (int i = 1; i <= 20; i++) {
            assertEquals("[alice] message " + i, received.get(i - 1));
        }
    }

    @Test
    void unknownFriendGetsAOneLineErrorAndTheAppKeepsGoing() {
        alice.type("zed/hello?");
        alice.stdout.awaitLine("! no one named 'zed' in the user_info table or your rooms;"
                + " /peers lists who you can write to");

        alice.type("bob/");
        alice.stdout.awaitLineStartingWith("! empty message for bob");
        alice.type("/nope");
        alice.stdout.awaitLineStartingWith("! unknown command '/nope'");

        alice.type("bob/still here");
        bob.stdout.awaitLine("[alice] still here");
        assertTrue(alice.isRunning());
    }

    @Test
    void messageToAnOfflineFriendSaysSoWithoutBlockingInput() {
        alice.type("dave/are you there?");
        alice.type("bob/typed right after");
        bob.stdout.awaitLine("[alice] typed right after");
        alice.stdout.awaitLine("! dave is offline (connection refused at 127.0.0.1:" + davePort
                + "); not delivered: \"are you there?\"");
        assertEquals(1, alice.stdout.lines().stream().filter(l -> l.startsWith("!")).count(),
                alice.stdout.toString());

        alice.type("bob/and after the error");
        bob.stdout.awaitLine("[alice] and after the error");
    }

    @Test
    void peersListsTheTableWithConnectionStatesAndFingerprintsAndMarksYou() {
        alice.type("bob/hi");
        bob.stdout.awaitLine("[alice] hi");
        alice.type("/peers");
        alice.stdout.awaitLineStartingWith("  dave");
        List<String> rows = alice.stdout.lines().stream().filter(l -> l.startsWith("  ")).toList();
        assertTrue(rows.get(0).matches("  name\\s+address\\s+from\\s+state\\s+last seen\\s+key"
                + "\\s+rooms"), rows.toString());
        assertTrue(rows.get(1).matches("  alice\\s+127\\.0\\.0\\.1:" + alicePort + "\\s+you"
                + "\\s+listening\\s+-\\s+" + aliceKey + "\\s+#general"), rows.toString());
        alice.stdout.awaitLine("a row for bob", l -> l.matches("  bob\\s+127\\.0\\.0\\.1:"
                + bobPort + "\\s+table\\s+connected\\s+just now\\s+" + bobKey + " trusted\\s+-"));
        alice.stdout.awaitLine("a row for carol", l -> l.matches("  carol\\s+127\\.0\\.0\\.1:"
                + carolPort + "\\s+table\\s+idle\\s+never\\s+-\\s+-"));
        alice.stdout.awaitLine("a row for dave", l -> l.matches("  dave\\s+127\\.0\\.0\\.1:"
                + davePort + "\\s+table\\s+idle\\s+never\\s+-\\s+-"));
    }

    @Test
    void aStrangerWhoWroteCanBeAnsweredAndIsListedInPeers(@TempDir Path zedDir)
            throws IOException {
        // zed's table lists alice; alice's does not list zed.
        Path zedTable = Files.writeString(zedDir.resolve("user_info"),
                "alice 127.0.0.1:" + alicePort + "\n", StandardCharsets.UTF_8);
        try (ChatApp zed = ChatApp.start("zed", "--user-info", zedTable.toString(), "--listen",
                "127.0.0.1:0", "--state-dir", zedDir.resolve("zed-state").toString())) {
            String zedKey = zed.awaitFingerprint();
            zed.type("alice/hi from zed");
            alice.stdout.awaitLine("[zed (not in table)] hi from zed");

            alice.type("zed/hello zed, you are not in my table");
            zed.stdout.awaitLine("[alice] hello zed, you are not in my table");
            alice.type("/peers");
            alice.stdout.awaitLine("a row for zed", l -> l.matches("  zed\\s+127\\.0\\.0\\.1:\\d+"
                    + "\\s+stranger\\s+connected\\s+just now\\s+" + zedKey + " trusted\\s+-"));
            assertNoErrors(alice, zed);
        }
    }

    @Test
    void timestampsStartEachPrintedLineWithTheLocalTime(@TempDir Path other) {
        try (ChatApp eve = ChatApp.start("eve", "--listen", "127.0.0.1:0", "--state-dir",
                other.toString(), "--timestamps", "--user-info", table.toString())) {
            eve.stdout.awaitLine("the stamped start-up line", l -> l.matches(
                    "\\d\\d:\\d\\d eve listening on 127\\.0\\.0\\.1:\\d+, key .*"));
            eve.type("bob/hi, with the time");
            bob.stdout.awaitLine("[eve (not in table)] hi, with the time");
            eve.stdout.awaitLine("a stamped notice", l -> l.matches("\\d\\d:\\d\\d \\* bob's"
                    + " key " + bobKey + " trusted on first use .*"));
        }
    }

    @Test
    void firstConversationTrustsEachOthersKeyAndSaysSoOnBothSides() {
        alice.type("bob/hi");
        bob.stdout.awaitLine("[alice] hi");
        alice.stdout.awaitLine("* bob's key " + bobKey
                + " trusted on first use (compare fingerprints out of band)");
        bob.stdout.awaitLine("* alice's key " + aliceKey
                + " trusted on first use (compare fingerprints out of band)");

        bob.type("alice/hi back");
        alice.stdout.awaitLine("[bob] hi back");
        assertEquals(1, alice.stdout.lines().stream().filter(l -> l.startsWith("* ")
                && l.contains("trusted on first use")).count(),
                "a key is trusted on first use once: " + alice.stdout);
        assertNoErrors(alice, bob);
    }

    @Test
    void keyCommandShowsTheFullKeyWithItsFingerprintAndTheLineToPin() {
        alice.type("/key");
        String keyLine = alice.stdout.awaitLineStartingWith("  public key   ");
        PeerKey key = PeerKey.parse(keyLine.substring("  public key   ".length()));
        assertEquals(aliceKey, key.fingerprint());
        alice.stdout.awaitLine("  fingerprint  " + aliceKey);
        alice.stdout.awaitLine("  friends pin it with this line in their user_info: alice"
                + " 127.0.0.1:" + alicePort + " " + key);
        alice.type("/whoami");
        alice.stdout.awaitLine("/whoami's answer",
                l -> alice.stdout.lines().stream().filter(keyLine::equals).count() == 2);
    }

    @Test
    void helpExplainsTheInput() {
        alice.type("/help");
        alice.stdout.awaitLineStartingWith("  friend/message");
        alice.stdout.awaitLineStartingWith("  /key, /whoami");
        alice.stdout.awaitLineStartingWith("  :q or /quit");
    }

    @Test
    void colonQQuitAndEndOfInputEachLeaveWithExitCodeZero() {
        alice.type(":q");
        assertEquals(0, alice.awaitExit());
        bob.type("/quit");
        assertEquals(0, bob.awaitExit());
        carol.stdin.close();
        assertEquals(0, carol.awaitExit());
        assertNoErrors(alice, bob, carol);
    }

    @Test
    void leavingWithAMessageStillWaitingSaysSoNamesItAndExitsWithCodeThree(@TempDir Path other) {
        try (ChatApp eve = ChatApp.start("eve", "--user-info", table.toString(), "--listen",
                "127.0.0.1:0", "--state-dir", other.resolve("eve-state").toString(), "--linger",
                "1s")) {
            eve.awaitFingerprint();
            eve.type("dave/are you there?");
            eve.type("bob/and you?");
            bob.stdout.awaitLine("[eve (not in table)] and you?");
            eve.type(":q");
            assertEquals(ConsoleChat.EXIT_UNDELIVERED, eve.awaitExit());
            eve.stdout.awaitLine("* 1 message(s) still on their way; waiting for them before"
                    + " leaving (p2pchat.closeLinger, --linger)");
            eve.stdout.awaitLine("! leaving with 1 message(s) not delivered (to dave): \"are you"
                    + " there?\"");
        }
    }

    @Test
    void aScriptWhoseMessageToAnUnknownNameFailedExitsWithCodeThreeAndTheErrorComesInOrder() {
        alice.type("nosuch/hi");
        alice.type("bob/");
        alice.type(":q");
        assertEquals(ConsoleChat.EXIT_UNDELIVERED, alice.awaitExit());
        List<String> errors = alice.stdout.lines().stream().filter(l -> l.startsWith("!")).toList();
        assertEquals(List.of("! no one named 'nosuch' in the user_info table or your rooms;"
                + " /peers lists who you can write to",
                "! empty message for bob; type bob/<message>"), errors);
    }

    @Test
    void aMessageTypedJustBeforeLeavingIsDeliveredBeforeTheChatExits() {
        alice.type("bob/last words");
        alice.type(":q");
        // Exit code 0: bob acknowledged it before alice closed (his screen may print it after).
        assertEquals(0, alice.awaitExit());
        bob.stdout.awaitLine("[alice] last words");
    }

    @Test
    void friendWhoLeftIsReportedOfflineAndTheOthersCarryOn() {
        alice.type("bob/hi");
        bob.stdout.awaitLine("[alice] hi");
        bob.type(":q");
        assertEquals(0, bob.awaitExit());

        // Typed at once: alice may not have noticed that bob left, but the message is kept until
        // acknowledged, and reported when the delivery timeout ends. Whether it went into the old
        // connection first (then the line adds that bob may have received it) is a race.
        alice.type("bob/are you gone?");
        alice.type("carol/bob left");
        carol.stdout.awaitLine("[alice] bob left");
        alice.stdout.awaitLineStartingWith("! bob is offline (");
        assertEquals(1, alice.stdout.lines().stream().filter(l -> l.startsWith("!")).count(),
                alice.stdout.toString());
        alice.type("carol/still here");
        carol.stdout.awaitLine("[alice] still here");
    }
}
