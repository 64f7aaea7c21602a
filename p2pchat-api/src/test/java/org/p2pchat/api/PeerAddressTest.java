package org.p2pchat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void parsesHostPortAndBracketedIpv6AndPrintsThemBack() {
        assertEquals(new PeerAddress("127.0.0.1", 7001), PeerAddress.parse("127.0.0.1:7001"));
        assertEquals(new PeerAddress("::1", 7002), PeerAddress.parse("[::1]:7002"));
        assertEquals("[::1]:7002", PeerAddress.parse("[::1]:7002").toString());
        assertEquals("example.org:1", PeerAddress.parse(" example.org:1 ").toString());
    }

    @Test
    void refusesWhatIsNotAnAddressSayingWhatWasExpected() {
        for (String bad : List.of("", "host", "host:", ":7001", "host:port", "::1:7001",
                "host:70000", "host:-1", "a b:1", "[]:5", "[[::1]]:5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PeerAddress.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("expected"), e.getMessage());
        }
    }

    @Test
    void convertsFromAndToSocketAddresses() {
        PeerAddress a = PeerAddress.of(new InetSocketAddress("127.0.0.1", 9));
        assertEquals(PeerAddress.loopback(9), a);
        assertEquals(9, a.toSocketAddress().getPort());
    }

    @Test
    void peerNamesRefuseSpacesSlashesAndOverlongText() {
        assertEquals("alice", PeerEntry.validateName("alice"));
        assertEquals("José", PeerEntry.validateName("José"));
        for (String bad : List.of("", "a b", "a/b", "a#b", "a\tb", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> PeerEntry.validateName(bad), bad);
        }
    }

    @Test
    void aDirectoryRefusesTwoEntriesWithOneName() {
        PeerEntry a = new PeerEntry("alice", PeerAddress.loopback(1));
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.of(a, a));
        assertEquals(a, PeerDirectory.of(a).lookup("alice").orElseThrow());
    }
}
