package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.internal.node.Settings;

/** The settings of this issue as properties and builder calls: read, or refused by name. */
class PeerBuilderTest {

    private static PeerBuilder withProperty(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return new PeerBuilder("alice", p);
    }

    @Test
    void theNewSettingsHaveTheirDocumentedDefaults() {
        assertEquals(Duration.ofSeconds(5), Settings.DEFAULT_CLOSE_LINGER);
        assertEquals(Duration.ofSeconds(1), Settings.DEFAULT_MAX_RECONNECT_DELAY);
        assertEquals(Duration.ofSeconds(10), Settings.DEFAULT_MAX_HANDSHAKE_RETRY_DELAY);
        assertEquals("p2pchat.closeLinger", Settings.CLOSE_LINGER);
        assertEquals("p2pchat.maxHandshakeRetryDelay", Settings.MAX_HANDSHAKE_RETRY_DELAY);
    }

    @Test
    void aCloseLingerOfZeroIsAllowedAndANegativeOneIsRefused() {
        withProperty(Settings.CLOSE_LINGER, "0");
        PeerBuilder b = P2pChat.builder("alice").closeLinger(Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.closeLinger(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().startsWith("expected closeLinger >= 0"), e.getMessage());
    }

    @Test
    void aBadValueNamesTheSetting() {
        IllegalArgumentException linger = assertThrows(IllegalArgumentException.class,
                () -> withProperty(Settings.CLOSE_LINGER, "soon"));
        assertTrue(linger.getMessage().startsWith("p2pchat.closeLinger: expected a duration"),
                linger.getMessage());
        IllegalArgumentException retry = assertThrows(IllegalArgumentException.class,
                () -> withProperty(Settings.MAX_HANDSHAKE_RETRY_DELAY, "0"));
        assertTrue(retry.getMessage().startsWith("expected maxHandshakeRetryDelay > 0"),
                retry.getMessage());
    }

    @Test
    void theCatchUpSettingsAreReadByNameAndBadValuesRefused() {
        assertEquals("p2pchat.roomCatchUpCount", Settings.ROOM_CATCH_UP_COUNT);
        assertEquals("p2pchat.roomCatchUpAge", Settings.ROOM_CATCH_UP_AGE);
        assertEquals("p2pchat.roomCatchUpBytes", Settings.ROOM_CATCH_UP_BYTES);
        withProperty(Settings.ROOM_CATCH_UP_COUNT, "0");
        withProperty(Settings.ROOM_CATCH_UP_AGE, "10m");
        withProperty(Settings.ROOM_CATCH_UP_BYTES, "0");
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> withProperty(Settings.ROOM_CATCH_UP_COUNT, "-1"));
        assertTrue(count.getMessage().startsWith("p2pchat.roomCatchUpCount"), count.getMessage());
        IllegalArgumentException age = assertThrows(IllegalArgumentException.class,
                () -> withProperty(Settings.ROOM_CATCH_UP_AGE, "0"));
        assertTrue(age.getMessage().startsWith("expected roomCatchUpAge > 0"), age.getMessage());
        PeerBuilder b = P2pChat.builder("alice");
        assertThrows(IllegalArgumentException.class, () -> b.roomCatchUpCount(-1));
        assertThrows(IllegalArgumentException.class, () -> b.roomCatchUpBytes(-1));
    }
}
