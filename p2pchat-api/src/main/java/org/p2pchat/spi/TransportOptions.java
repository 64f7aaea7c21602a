package org.p2pchat.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timeouts a {@link Transport} enforces. An immutable value; build one with
 * {@link #builder()}. Every setting has a {@code p2pchat.*} name, read by the chat engine from
 * system properties and documented in the README.
 */
public final class TransportOptions {

    /** Default {@link #maxFrameBytes()}: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    /** Default {@link #writeQueueLimitBytes()}: 8 MiB. */
    public static final long DEFAULT_WRITE_QUEUE_LIMIT_BYTES = 8L << 20;
    /** Default {@link #idleTimeout()}: 5 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default {@link #maxConnections()}: 64. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** Default {@link #connectTimeout()}: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #closeTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final int maxFrameBytes;
    private final long writeQueueLimitBytes;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final Duration connectTimeout;
    private final Duration closeTimeout;
    private final Ticker ticker;
    private final String name;

    private TransportOptions(Builder b) {
        this.maxFrameBytes = b.maxFrameBytes;
        this.writeQueueLimitBytes = b.writeQueueLimitBytes;
        this.idleTimeout = b.idleTimeout;
        this.maxConnections = b.maxConnections;
        this.connectTimeout = b.connectTimeout;
        this.closeTimeout = b.closeTimeout;
        this.ticker = b.ticker;
        this.name = b.name;
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the defaults.
     *
     * @return options with every default
     */
    public static TransportOptions defaults() {
        return builder().build();
    }

    /**
     * Returns a builder holding these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .maxFrameBytes(maxFrameBytes)
                .writeQueueLimitBytes(writeQueueLimitBytes)
                .idleTimeout(idleTimeout)
                .maxConnections(maxConnections)
                .connectTimeout(connectTimeout)
                .closeTimeout(closeTimeout)
                .ticker(ticker)
                .name(name);
    }

    /**
     * The largest frame payload, in bytes, sent or accepted ({@code p2pchat.maxFrameBytes}). A
     * remote side announcing a longer one is disconnected before anything is allocated for it.
     *
     * @return the maximum payload length
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * The most bytes a connection may hold queued and not yet written
     * ({@code p2pchat.writeQueueLimitBytes}); a write beyond it is refused. The count is in wire
     * bytes: each frame's payload plus the transport's own per-frame framing (for the NIO
     * transport, a 4-byte length prefix), so a frame whose payload alone fits may still be
     * refused.
     *
     * @return the write queue's byte limit
     */
    public long writeQueueLimitBytes() {
        return writeQueueLimitBytes;
    }

    /**
     * How long a connection may go without reading or writing a frame before it is closed
     * ({@code p2pchat.idleTimeout}); {@link Duration#ZERO} never closes idle connections.
     *
     * @return the idle timeout
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The most connections open at once, accepted and opened together
     * ({@code p2pchat.maxConnections}). An accepted connection beyond it is closed at once and
     * logged; an attempt to open one fails with {@link org.p2pchat.api.ConnectionLimitException}.
     *
     * @return the connection cap
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * How long opening a connection may take ({@code p2pchat.connectTimeout}).
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long {@link Transport#close()} and {@link Connection#close()} may spend writing what is
     * still queued before they drop it ({@code p2pchat.closeTimeout}). Measured in real time
     * ({@link System#nanoTime()}), not with the injected {@link #ticker()}, so a test that
     * freezes or advances its ticker neither stalls nor hastens a close.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * The clock that idle closes and connect timeouts are measured with (not the
     * {@link #closeTimeout()}, which runs in real time).
     *
     * @return the ticker, {@link Ticker#system()} unless a test injected another
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * A short label for thread names and log lines, usually the peer's name.
     *
     * @return the label
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "TransportOptions{name=" + name + ", maxFrameBytes=" + maxFrameBytes
                + ", writeQueueLimitBytes=" + writeQueueLimitBytes + ", idleTimeout=" + idleTimeout
                + ", maxConnections=" + maxConnections + ", connectTimeout=" + connectTimeout
                + ", closeTimeout=" + closeTimeout + "}";
    }

    /** Builds {@link TransportOptions}; every setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private long writeQueueLimitBytes = DEFAULT_WRITE_QUEUE_LIMIT_BYTES;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Ticker ticker = Ticker.system();
        private String name = "p2pchat";

        private Builder() {
        }

        /**
         * Sets {@link TransportOptions#maxFrameBytes()}.
         *
         * @param bytes from 1 to 2^31 - 1
         * @return this builder
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("expected maxFrameBytes >= 1, got " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Sets {@link TransportOptions#writeQueueLimitBytes()}.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder writeQueueLimitBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("expected writeQueueLimitBytes >= 1, got "
                        + bytes);
            }
            this.writeQueueLimitBytes = bytes;
            return this;
        }

        /**
         * Sets {@link TransportOptions#idleTimeout()}.
         *
         * @param timeout zero (never) or positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = nonNegative("idleTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link TransportOptions#maxConnections()}.
         *
         * @param connections at least 1
         * @return this builder
         */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("expected maxConnections >= 1, got "
                        + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /**
         * Sets {@link TransportOptions#connectTimeout()}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link TransportOptions#closeTimeout()}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /**
         * Sets {@link TransportOptions#ticker()}.
         *
         * @param ticker the clock for idle closes and connect timeouts
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets {@link TransportOptions#name()}.
         *
         * @param name a short label
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public TransportOptions build() {
            return new TransportOptions(this);
        }

        private static Duration nonNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException("expected " + what + " >= 0, got " + d);
            }
            return d;
        }

        private static Duration positive(String what, Duration d) {
            if (nonNegative(what, d).isZero()) {
                throw new IllegalArgumentException("expected " + what + " > 0, got " + d);
            }
            return d;
        }
    }
}
