package org.p2pchat.core.internal.node;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;
import org.p2pchat.spi.TransportOptions;

/**
 * Reads the {@code p2pchat.*} settings from a {@link Properties} (normally the system
 * properties). The one place setting names are defined; the README lists them.
 */
public final class Settings {
    /** Chooses the transport provider by name. */
    public static final String TRANSPORT = "p2pchat.transport";
    /** {@link TransportOptions#maxFrameBytes()}. */
    public static final String MAX_FRAME_BYTES = "p2pchat.maxFrameBytes";
    /** {@link TransportOptions#writeQueueLimitBytes()}. */
    public static final String WRITE_QUEUE_LIMIT_BYTES = "p2pchat.writeQueueLimitBytes";
    /** {@link TransportOptions#idleTimeout()}. */
    public static final String IDLE_TIMEOUT = "p2pchat.idleTimeout";
    /** {@link TransportOptions#maxConnections()}. */
    public static final String MAX_CONNECTIONS = "p2pchat.maxConnections";
    /** {@link TransportOptions#connectTimeout()}. */
    public static final String CONNECT_TIMEOUT = "p2pchat.connectTimeout";
    /** {@link TransportOptions#closeTimeout()}. */
    public static final String CLOSE_TIMEOUT = "p2pchat.closeTimeout";

    /** How long a Noise handshake may take. */
    public static final String HANDSHAKE_TIMEOUT = "p2pchat.handshakeTimeout";
    /** How many accepted connections may be in their handshake at once. */
    public static final String MAX_HANDSHAKES = "p2pchat.maxHandshakes";
    /** How many new handshakes a second strangers may start (a tenth of it from one source). */
    public static final String HANDSHAKE_RATE = "p2pchat.handshakeRate";
    /** Where the identity key and the known-peers file are kept. */
    public static final String STATE_DIRECTORY = "p2pchat.stateDirectory";
    /** The message store's name ({@code memory}, {@code sqlite}). */
    public static final String STORE = "p2pchat.store";
    /** How long a message may wait for its acknowledgement before its send fails. */
    public static final String DELIVERY_TIMEOUT = "p2pchat.deliveryTimeout";
    /** The most unacknowledged message bytes held per friend. */
    public static final String OUTBOX_LIMIT_BYTES = "p2pchat.outboxLimitBytes";
    /** The most bytes received from one friend that the listener has not finished with. */
    public static final String RECEIVE_WINDOW_BYTES = "p2pchat.receiveWindowBytes";
    /** The most heap all received messages the listener has not finished with may take. */
    public static final String INBOUND_MEMORY_BYTES = "p2pchat.inboundMemoryBytes";
    /** Silence, while messages await acknowledgement, before a PING; three close the connection. */
    public static final String HEARTBEAT_INTERVAL = "p2pchat.heartbeatInterval";
    /** How long a message written to a connection may go unacknowledged before it closes. */
    public static final String WRITE_DEADLINE = "p2pchat.writeDeadline";
    /** The first delay after a failed connection attempt. */
    public static final String RECONNECT_DELAY = "p2pchat.reconnectDelay";
    /** The longest delay after connection attempts nobody answered. */
    public static final String MAX_RECONNECT_DELAY = "p2pchat.maxReconnectDelay";
    /** The longest delay after connection attempts whose handshake or connection failed. */
    public static final String MAX_HANDSHAKE_RETRY_DELAY = "p2pchat.maxHandshakeRetryDelay";
    /** The largest file this peer accepts an offer of. */
    public static final String MAX_FILE_BYTES = "p2pchat.maxFileBytes";
    /** How often a room member sends each other member a digest of the records it holds. */
    public static final String ROOM_DIGEST_INTERVAL = "p2pchat.roomDigestInterval";
    /** Default {@link #ROOM_DIGEST_INTERVAL}. */
    public static final Duration DEFAULT_ROOM_DIGEST_INTERVAL = Duration.ofSeconds(2);
    /** How long a room member may acknowledge nothing before it is reported failed. */
    public static final String ROOM_FAILURE_TIMEOUT = "p2pchat.roomFailureTimeout";
    /** Default {@link #ROOM_FAILURE_TIMEOUT}: five digests unanswered. */
    public static final Duration DEFAULT_ROOM_FAILURE_TIMEOUT = Duration.ofSeconds(10);
    /** The most recent room messages a member keeps per room to catch other members up. */
    public static final String ROOM_CATCH_UP_COUNT = "p2pchat.roomCatchUpCount";
    /** How long a member keeps a room message to catch other members up. */
    public static final String ROOM_CATCH_UP_AGE = "p2pchat.roomCatchUpAge";
    /** The most bytes of room messages a member keeps per room to catch other members up. */
    public static final String ROOM_CATCH_UP_BYTES = "p2pchat.roomCatchUpBytes";
    /** How long {@code close()} waits for unacknowledged messages before it fails them. */
    public static final String CLOSE_LINGER = "p2pchat.closeLinger";
    /**
     * Default {@link #CLOSE_LINGER}: a fresh connection, its handshake and an acknowledgement
     * take a few milliseconds on a LAN and about five round trips (well under 2 s) across
     * continents, so a message sent right before {@code close()} gets through, with room for a
     * reconnection; yet closing with a friend offline is not held up for long.
     */
    public static final Duration DEFAULT_CLOSE_LINGER = Duration.ofSeconds(5);
    /** Default {@link #DELIVERY_TIMEOUT}. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default {@link #INBOUND_MEMORY_BYTES}: an eighth of the largest heap the JVM may use.
     *
     * @return the default, in bytes
     */
    public static long defaultInboundMemoryBytes() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    /** Default {@link #OUTBOX_LIMIT_BYTES}: 4 MiB. */
    public static final long DEFAULT_OUTBOX_LIMIT_BYTES = 4L << 20;
    /** Default {@link #RECEIVE_WINDOW_BYTES}: 4 MiB. */
    public static final long DEFAULT_RECEIVE_WINDOW_BYTES = 4L << 20;
    /** Default {@link #HEARTBEAT_INTERVAL}. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Default {@link #WRITE_DEADLINE}. */
    public static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofSeconds(30);
    /** Default {@link #RECONNECT_DELAY}. */
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(100);
    /**
     * Default {@link #MAX_RECONNECT_DELAY}: a friend that starts listening again is reached within
     * about a second, and an attempt refused at once costs one packet each way.
     */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(1);
    /**
     * Default {@link #MAX_HANDSHAKE_RETRY_DELAY}: a failed handshake costs both peers about a
     * millisecond of CPU, negligible once every 5 to 10 seconds.
     */
    public static final Duration DEFAULT_MAX_HANDSHAKE_RETRY_DELAY = Duration.ofSeconds(10);
    /** Default {@link #HANDSHAKE_TIMEOUT}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #MAX_HANDSHAKES}. */
    public static final int DEFAULT_MAX_HANDSHAKES = 32;
    /** Default {@link #HANDSHAKE_RATE}. */
    public static final int DEFAULT_HANDSHAKE_RATE = 200;

    private Settings() {
    }

    /**
     * Returns transport options with every {@code p2pchat.*} property applied over the defaults.
     *
     * @param props the properties
     * @return a builder holding the result, for explicit settings to override
     * @throws IllegalArgumentException naming the property whose value cannot be read
     */
    public static TransportOptions.Builder transportOptions(Properties props) {
        TransportOptions.Builder b = TransportOptions.builder();
        String v;
        if ((v = props.getProperty(MAX_FRAME_BYTES)) != null) {
            b.maxFrameBytes((int) number(MAX_FRAME_BYTES, v, Integer.MAX_VALUE));
        }
        if ((v = props.getProperty(WRITE_QUEUE_LIMIT_BYTES)) != null) {
            b.writeQueueLimitBytes(number(WRITE_QUEUE_LIMIT_BYTES, v, Long.MAX_VALUE));
        }
        if ((v = props.getProperty(IDLE_TIMEOUT)) != null) {
            b.idleTimeout(duration(IDLE_TIMEOUT, v));
        }
        if ((v = props.getProperty(MAX_CONNECTIONS)) != null) {
            b.maxConnections((int) number(MAX_CONNECTIONS, v, Integer.MAX_VALUE));
        }
        if ((v = props.getProperty(CONNECT_TIMEOUT)) != null) {
            b.connectTimeout(duration(CONNECT_TIMEOUT, v));
        }
        if ((v = props.getProperty(CLOSE_TIMEOUT)) != null) {
            b.closeTimeout(duration(CLOSE_TIMEOUT, v));
        }
        return b;
    }

    /**
     * Reads a duration setting.
     *
     * @param props the properties
     * @param key the setting
     * @param fallback the default
     * @return the value
     */
    public static Duration duration(Properties props, String key, Duration fallback) {
        String v = props.getProperty(key);
        return v == null ? fallback : duration(key, v);
    }

    /**
     * Reads a whole-number setting.
     *
     * @param props the properties
     * @param key the setting
     * @param fallback the default
     * @return the value
     */
    public static int integer(Properties props, String key, int fallback) {
        String v = props.getProperty(key);
        return v == null ? fallback : (int) number(key, v, Integer.MAX_VALUE);
    }

    /**
     * Reads a whole-number setting that may exceed an int.
     *
     * @param props the properties
     * @param key the setting
     * @param fallback the default
     * @return the value
     */
    public static long longValue(Properties props, String key, long fallback) {
        String v = props.getProperty(key);
        return v == null ? fallback : number(key, v, Long.MAX_VALUE);
    }

    static long number(String key, String value, long max) {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0 || n > max) {
                throw new IllegalArgumentException(key + ": expected a number from 0 to " + max
                        + ", got '" + value + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a whole number, got '" + value
                    + "'", e);
        }
    }

    /**
     * Parses a duration: ISO-8601 ({@code PT5M}) or a number with a unit ({@code 250ms},
     * {@code 30s}, {@code 5m}, {@code 1h}); {@code 0} means zero.
     */
    static Duration duration(String key, String value) {
        String s = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            switch (s.charAt(s.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(key + ": expected a duration such as 30s, 250ms, 5m"
                    + " or PT5M, got '" + value + "'", e);
        }
        throw new IllegalArgumentException(key + ": expected a duration such as 30s, 250ms, 5m"
                + " or PT5M, got '" + value + "'");
    }
}
