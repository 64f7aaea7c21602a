package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user sees when the chat cannot start: one line on stderr and exit code 2. */
class StartupErrorsTest {

    @Test
    void badUserInfoLineIsNamedWithItsLineNumber(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("user_info");
        Files.writeString(table, "alice 127.0.0.1:7001\nbob 127.0.0.1\n", StandardCharsets.UTF_8);
        String error = failedStart("alice", "--user-info", table.toString());
        assertTrue(error.startsWith("error: bad user_info table: " + table + ":2: "), error);
    }

    @Test
    void missingUserInfoFileSaysSo(@TempDir Path dir) {
        Path table = dir.resolve("nope");
        assertEquals("error: cannot read user_info file " + table + " (no such file)",
                failedStart("alice", "--user-info", table.toString()));
    }

    @Test
    void ownNameNotInTheTableWithoutListenSaysHowToFixIt() {
        assertEquals("error: 'zed' is not in the bundled user_info; pass --user-info FILE with a"
                + " line 'zed host:port', or --listen host:port, or --join HOST:PORT to join a room",
                failedStart("zed"));
    }

    @Test
    void ownNameNotInTheUsersTableSaysToAddIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path table = dir.resolve("user_info");
        java.nio.file.Files.writeString(table, "alice 127.0.0.1:7001\n");
        assertEquals("error: 'zed' is not in " + table + "; add a line 'zed host:port' to it, or"
                + " pass --listen host:port, or --join HOST:PORT to join a room",
                failedStart("zed", "--user-info", table.toString()));
    }

    @Test
    void portInUseIsAOneLineError(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            String error = failedStart("alice", "--listen", address, "--state-dir",
                    dir.toString());
            assertTrue(error.startsWith("error: cannot listen on " + address + ": "), error);
        }
    }

    @Test
    void unusableStateDirectoryIsAOneLineError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        String error = failedStart("alice", "--listen", "127.0.0.1:0", "--state-dir",
                file.toString());
        assertTrue(error.startsWith("error: cannot read or create the identity file "
                + file.resolve("identity.key") + " ("), error);
    }

    @Test
    void damagedIdentityFileIsAOneLineError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("identity.key"), "not a key\n");
        String error = failedStart("alice", "--listen", "127.0.0.1:0", "--state-dir",
                dir.toString());
        assertTrue(error.startsWith("error: identity file " + dir.resolve("identity.key")), error);
    }

    @Test
    void stateDirectoryDefaultsToDotP2pchatSlashNameInTheHomeDirectory() {
        assertEquals(Path.of(System.getProperty("user.home"), ".p2pchat", "alice"),
                ConsoleChat.defaultStateDirectory("alice"));
    }

    @Test
    void badOptionValueIsAUsageError() {
        ChatApp app = ChatApp.start("alice", "--listen", "nowhere");
        assertEquals(2, app.awaitExit());
        List<String> err = app.stderr.lines();
        assertEquals("error: Invalid value for option '--listen': expected host:port, got 'nowhere'",
                err.get(0));
        assertTrue(err.get(1).startsWith("usage: p2pchat-chat NAME"), err.toString());
    }

    @Test
    void zeroDeliveryTimeoutIsAUsageError() {
        ChatApp app = ChatApp.start("alice", "--delivery-timeout", "0");
        assertEquals(2, app.awaitExit());
        List<String> err = app.stderr.lines();
        assertEquals("error: Invalid value for option '--delivery-timeout': expected a duration"
                + " above 0 such as 30s, 2m or 500ms, got '0'", err.get(0));
        assertTrue(err.get(1).startsWith("usage: p2pchat-chat NAME"), err.toString());
    }

    @Test
    void invalidOwnNameIsRejected() {
        assertTrue(failedStart("al#ice").startsWith("error: expected a name of 1 to 64 letters or digits"));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        ChatApp app = ChatApp.start("--help");
        assertEquals(0, app.awaitExit());
        assertTrue(app.stdout.lines().get(0).startsWith("Usage: p2pchat-chat"), app.stdout.toString());
        assertTrue(app.stdout.lines().stream().anyMatch(l -> l.contains("--delivery-timeout")),
                app.stdout.toString());
        String help = String.join(" ", app.stdout.lines()).replaceAll("\\s+", " ");
        for (String told : List.of("--timestamps", "Tab completes a friend's name",
                "Ctrl-C abandons the line being typed; on an empty line it leaves",
                "Library log lines go to chat.log in the state directory")) {
            assertTrue(help.contains(told), "--help tells: " + told + "; " + help);
        }
    }

    /** Starts a chat that must fail, and returns its single stderr line. */
    private static String failedStart(String... args) {
        ChatApp app = ChatApp.start(args);
        assertEquals(2, app.awaitExit(), app.stderr.toString());
        List<String> err = app.stderr.lines();
        assertEquals(1, err.size(), err.toString());
        assertEquals(List.of(), app.stdout.lines());
        return err.get(0);
    }
}
