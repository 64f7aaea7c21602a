package org.p2pchat.core.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.p2pchat.spi.TransportOptions;

class SettingsTest {

    @Test
    void unsetPropertiesLeaveTheDefaults() {
        TransportOptions o = Settings.transportOptions(new Properties()).build();
        assertEquals(TransportOptions.DEFAULT_IDLE_TIMEOUT, o.idleTimeout());
        assertEquals(TransportOptions.DEFAULT_MAX_FRAME_BYTES, o.maxFrameBytes());
    }

    @Test
    void everyTransportSettingIsRead() {
        Properties p = new Properties();
        p.setProperty(Settings.MAX_FRAME_BYTES, "4096");
        p.setProperty(Settings.WRITE_QUEUE_LIMIT_BYTES, "65536");
        p.setProperty(Settings.IDLE_TIMEOUT, "0");
        p.setProperty(Settings.MAX_CONNECTIONS, "5");
        p.setProperty(Settings.CONNECT_TIMEOUT, "250ms");
        p.setProperty(Settings.CLOSE_TIMEOUT, "PT3S");
        TransportOptions o = Settings.transportOptions(p).build();
        assertEquals(4096, o.maxFrameBytes());
        assertEquals(65536, o.writeQueueLimitBytes());
        assertEquals(Duration.ZERO, o.idleTimeout());
        assertEquals(5, o.maxConnections());
        assertEquals(Duration.ofMillis(250), o.connectTimeout());
        assertEquals(Duration.ofSeconds(3), o.closeTimeout());
    }

    @Test
    void durationsTakeUnitsOrIso8601() {
        assertEquals(Duration.ofSeconds(30), Settings.duration("k", "30s"));
        assertEquals(Duration.ofMinutes(5), Settings.duration("k", " 5m "));
        assertEquals(Duration.ofHours(1), Settings.duration("k", "1h"));
        assertEquals(Duration.ofMinutes(5), Settings.duration("k", "PT5M"));
    }

    @Test
    void aBadValueNamesThePropertyAndWhatWasExpected() {
        Properties p = new Properties();
        p.setProperty(Settings.IDLE_TIMEOUT, "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.transportOptions(p));
        assertTrue(e.getMessage().startsWith("p2pchat.idleTimeout: expected a duration"),
                e.getMessage());
        Properties q = new Properties();
        q.setProperty(Settings.MAX_CONNECTIONS, "-1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.transportOptions(q))
                .getMessage().startsWith("p2pchat.maxConnections"));
    }
}
