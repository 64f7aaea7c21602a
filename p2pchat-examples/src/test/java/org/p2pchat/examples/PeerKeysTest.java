package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.PeerKey;

/**
 * Keys as the console user sees them: pinned keys in the user_info table, keys trusted on first
 * use, refusals, and an identity kept in {@code --state-dir} across restarts. Every chat keeps its
 * state under the test's temporary directory.
 */
class PeerKeysTest {
    private static final PeerKey WRONG_KEY = PeerKey.of(filled((byte) 7));

    @TempDir
    Path dir;
    private int alicePort;
    private int bobPort;
    private final List<ChatApp> apps = new ArrayList<>();

    @BeforeEach
    void pickPorts() {
        int[] ports = FreePorts.pick(2);
        alicePort = ports[0];
        bobPort = ports[1];
    }

    @AfterEach
    void stopEveryone() {
        for (ChatApp app : apps) {
            app.close();
        }
    }

    @Test
    void wrongKeyPinnedForAFriendRefusesTheConversation() throws IOException {
        ChatApp bob = start("bob", table("bob", ""));
        String bobKey = bob.awaitFingerprint();
        ChatApp alice = start("alice", table("alice", " " + WRONG_KEY));
        alice.awaitFingerprint();

        alice.type("bob/hi");
        String refused = alice.stdout.awaitLineStartingWith("! refused: ");
        assertTrue(refused.startsWith("! refused: 'bob' presented key " + bobKey + " but the key"
                + " pinned in the user_info table is " + WRONG_KEY.fingerprint() + ";"), refused);

        alice.type("/peers");
        alice.stdout.awaitLine("a row for bob", l -> l.matches("  bob\\s+127\\.0\\.0\\.1:" + bobPort
                + "\\s+table\\s+\\S+\\s+.+\\s+" + WRONG_KEY.fingerprint() + " pinned\\s+-"));
        assertTrue(bob.stdout.lines().stream().noneMatch(l -> l.startsWith("[alice]")
                || l.startsWith("* ")), bob.stdout.toString());
    }

    @Test
    void friendWhoPinnedAnotherKeyForUsRefusesUs() throws IOException {
        ChatApp bob = start("bob", tableWithAliceKey(" " + WRONG_KEY));
        bob.awaitFingerprint();
        ChatApp alice = start("alice", table("alice", ""));
        alice.awaitFingerprint();

        alice.type("bob/hi");
        String refused = alice.stdout.awaitLineStartingWith("! refused: ");
        assertTrue(refused.startsWith("! refused: bob refused this peer: "), refused);
        assertTrue(bob.stdout.lines().stream().noneMatch(l -> l.startsWith("[alice]")),
                bob.stdout.toString());
    }

    @Test
    void rightKeyPinnedForAFriendIsUsedWithoutTrustOnFirstUse() throws IOException {
        ChatApp bob = start("bob", table("bob", ""));
        bob.awaitFingerprint();
        bob.type("/key");
        String bobKey = bob.stdout.awaitLineStartingWith("  public key   ")
                .substring("  public key   ".length());
        ChatApp alice = start("alice", table("alice", " " + bobKey));
        alice.awaitFingerprint();

        alice.type("bob/hi");
        bob.stdout.awaitLine("[alice] hi");
        bob.type("alice/hello");
        alice.stdout.awaitLine("[bob] hello");
        alice.type("/peers");
        alice.stdout.awaitLine("a row for bob", l -> l.matches("  bob\\s+127\\.0\\.0\\.1:" + bobPort
                + "\\s+table\\s+connected\\s+just now\\s+" + PeerKey.parse(bobKey).fingerprint()
                + " pinned\\s+-"));
        assertTrue(alice.stdout.lines().stream().noneMatch(l -> l.startsWith("* ")
                || l.startsWith("!")), alice.stdout.toString());
    }

    @Test
    void identityAndTrustedKeysSurviveARestartWithTheSameStateDirectory() throws IOException {
        Path userInfo = table("alice", "");
        ChatApp bob = start("bob", userInfo);
        String bobKey = bob.awaitFingerprint();
        ChatApp alice = start("alice", userInfo);
        String aliceKey = alice.awaitFingerprint();
        alice.type("bob/hi");
        bob.stdout.awaitLine("[alice] hi");
        alice.stdout.awaitLineStartingWith("* bob's key " + bobKey);
        alice.type(":q");
        assertEquals(0, alice.awaitExit());

        // Another port: the first one may linger in TIME_WAIT.
        ChatApp again = start("alice", userInfo, "--listen", "127.0.0.1:0");
        assertEquals(aliceKey, again.awaitFingerprint());
        again.type("/peers");
        again.stdout.awaitLine("bob's remembered key", l -> l.matches("  bob\\s+127\\.0\\.0\\.1:"
                + bobPort + "\\s+table\\s+idle\\s+never\\s+" + bobKey + " trusted\\s+-"));
        again.type("bob/back again");
        bob.stdout.awaitLine("[alice] back again");
        assertTrue(again.stdout.lines().stream().noneMatch(l -> l.startsWith("* ")
                || l.startsWith("!")), again.stdout.toString());

        ChatApp stranger = ChatApp.start("alice", "--user-info", userInfo.toString(), "--listen",
                "127.0.0.1:0", "--state-dir", dir.resolve("other-state").toString());
        apps.add(stranger);
        assertNotEquals(aliceKey, stranger.awaitFingerprint(), "a new state directory, a new key");
    }

    /** A table of alice and bob; {@code bobKeyColumn} is appended to bob's line. */
    private Path table(String owner, String bobKeyColumn) throws IOException {
        Path file = dir.resolve(owner + "-user_info");
        Files.writeString(file, "alice 127.0.0.1:" + alicePort + "\nbob 127.0.0.1:" + bobPort
                + bobKeyColumn + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Bob's table; {@code aliceKeyColumn} is appended to alice's line. */
    private Path tableWithAliceKey(String aliceKeyColumn) throws IOException {
        Path file = dir.resolve("bob-user_info");
        Files.writeString(file, "alice 127.0.0.1:" + alicePort + aliceKeyColumn
                + "\nbob 127.0.0.1:" + bobPort + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Starts a chat in no room: these tests are about keys, and count the chat's "* " lines. */
    private ChatApp start(String name, Path userInfo, String... more) {
        List<String> args = new ArrayList<>(List.of(name, "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve(name + "-state").toString(), "--no-room"));
        args.addAll(Arrays.asList(more));
        ChatApp app = ChatApp.start(args.toArray(String[]::new));
        apps.add(app);
        return app;
    }

    private static byte[] filled(byte value) {
        byte[] raw = new byte[PeerKey.BYTES];
        Arrays.fill(raw, value);
        return raw;
    }
}
