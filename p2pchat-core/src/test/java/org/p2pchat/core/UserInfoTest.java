package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.DirectoryFormatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;

class UserInfoTest {

    @Test
    void readsOneFriendALineInOrderSkippingCommentsAndBlankLines() {
        PeerDirectory d = UserInfo.parse("""
                # the seed's static table
                alice 127.0.0.1:7001

                   bob\t127.0.0.1:7002   # trailing comment
                carol [::1]:7003
                dave example.org:7004
                """, "test");
        assertEquals(List.of(
                new PeerEntry("alice", PeerAddress.loopback(7001)),
                new PeerEntry("bob", PeerAddress.loopback(7002)),
                new PeerEntry("carol", new PeerAddress("::1", 7003)),
                new PeerEntry("dave", new PeerAddress("example.org", 7004))), d.entries());
        assertEquals(PeerAddress.loopback(7002), d.lookup("bob").orElseThrow().address());
        assertTrue(d.lookup("Bob").isEmpty(), "names are case-sensitive");
    }

    @Test
    void anOptionalThirdColumnPinsTheFriendsKey() {
        String key = "Xb8k2Wq0pQdV3m9yTzL4uN7cJ1fH6gR5sA0eK8iO2lY";
        PeerDirectory d = UserInfo.parse("alice 127.0.0.1:7001 " + key + "\nbob 127.0.0.1:7002\n", "t");
        assertEquals(PeerKey.parse(key), d.lookup("alice").orElseThrow().key());
        assertEquals(null, d.lookup("bob").orElseThrow().key());
        DirectoryFormatException e = assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice 127.0.0.1:7001 not-a-key\n", "t"));
        assertTrue(e.getMessage().contains("expected a base64 public key"), e.getMessage());
    }

    @Test
    void anEmptyTableIsAnEmptyDirectory() {
        assertTrue(UserInfo.parse("# nobody yet\n\n", "test").entries().isEmpty());
    }

    @Test
    void aLineWithoutAnAddressIsReportedWithItsLineNumber() {
        DirectoryFormatException e = assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice 127.0.0.1:7001\n# ok\nbob\n", "friends.txt"));
        assertEquals(3, e.lineNumber());
        assertEquals("friends.txt", e.source());
        assertTrue(e.getMessage().startsWith("friends.txt:3: expected 'name host:port"),
                e.getMessage());
    }

    @Test
    void badPortsAndExtraFieldsAreReported() {
        assertEquals(1, assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice 127.0.0.1:http\n", "t")).lineNumber());
        assertEquals(1, assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice 127.0.0.1:70000\n", "t")).lineNumber());
        assertEquals(2, assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("a 127.0.0.1:1\nalice 127.0.0.1 7001\n", "t")).lineNumber());
        assertEquals(1, assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice 127.0.0.1\n", "t")).lineNumber());
        assertEquals(1, assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice ::1:7001\n", "t")).lineNumber());
    }

    @Test
    void aRepeatedNameIsReportedWithBothLines() {
        DirectoryFormatException e = assertThrows(DirectoryFormatException.class,
                () -> UserInfo.parse("alice 127.0.0.1:1\nbob 127.0.0.1:2\nalice 127.0.0.1:3\n", "t"));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("already on line 1"), e.getMessage());
    }

    @Test
    void loadsAFileAndReportsAMissingOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("user_info");
        Files.writeString(file, "alice 127.0.0.1:7001\n");
        assertEquals("alice", UserInfo.load(file).entries().get(0).name());
        assertThrows(UncheckedIOException.class, () -> UserInfo.load(dir.resolve("missing")));
    }
}
