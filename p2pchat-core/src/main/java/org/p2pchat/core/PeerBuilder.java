package org.p2pchat.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.TransportNotFoundException;
import org.p2pchat.core.internal.ChatNode;
import org.p2pchat.core.internal.SerialCallbacks;
import org.p2pchat.core.internal.Settings;
import org.p2pchat.core.internal.TransportSelector;
import org.p2pchat.spi.Ticker;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * Describes a peer and starts it. Obtain one from {@link P2pChat#builder(String)}.
 *
 * <p>Every setting has a default, may be set by a {@code p2pchat.*} system property (read when the
 * builder is created), and may be set here, which wins:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>method</th><th>property</th><th>default</th></tr>
 * <tr><td>{@link #transport(String)}</td><td>{@code p2pchat.transport}</td><td>highest-priority
 *     provider found ({@code nio} when on the path)</td></tr>
 * <tr><td>{@link #maxFrameBytes}</td><td>{@code p2pchat.maxFrameBytes}</td><td>1048576</td></tr>
 * <tr><td>{@link #writeQueueLimitBytes}</td><td>{@code p2pchat.writeQueueLimitBytes}</td>
 *     <td>8388608</td></tr>
 * <tr><td>{@link #idleTimeout}</td><td>{@code p2pchat.idleTimeout}</td><td>5m ({@code 0}: never)</td></tr>
 * <tr><td>{@link #maxConnections}</td><td>{@code p2pchat.maxConnections}</td><td>64</td></tr>
 * <tr><td>{@link #connectTimeout}</td><td>{@code p2pchat.connectTimeout}</td><td>10s</td></tr>
 * <tr><td>{@link #closeTimeout}</td><td>{@code p2pchat.closeTimeout}</td><td>2s</td></tr>
 * </table>
 *
 * <p>Not thread-safe: build on one thread. The peer it starts is thread-safe.
 */
public final class PeerBuilder {
    private final String name;
    private final TransportOptions.Builder options;
    private String transportName;
    private TransportProvider provider;
    private PeerAddress listenAddress;
    private PeerDirectory directory = PeerDirectory.of(List.of());
    private MessageListener listener = message -> { };
    private Executor callbackExecutor;

    PeerBuilder(String name, Properties properties) {
        this.name = PeerEntry.validateName(name);
        this.options = Settings.transportOptions(properties).name(name);
        this.transportName = properties.getProperty(Settings.TRANSPORT);
    }

    /**
     * Sets where the peer listens. Default: its own entry in the directory if it has one, else
     * {@code 127.0.0.1} on a free port.
     *
     * @param address the address; port 0 picks a free port
     * @return this builder
     */
    public PeerBuilder listenOn(PeerAddress address) {
        this.listenAddress = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Sets the directory friends are looked up in. Default: empty (the peer can only answer
     * peers that connect to it).
     *
     * @param directory the friends, for example from {@link UserInfo#load}
     * @return this builder
     */
    public PeerBuilder directory(PeerDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets what receives messages. Default: a listener that ignores them.
     *
     * @param listener the listener
     * @return this builder
     */
    public PeerBuilder listener(MessageListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets the executor listener calls run on. Calls stay ordered and one at a time whatever the
     * executor (a pool is fine). Default: one daemon thread owned by the peer, stopped on close.
     *
     * @param executor the executor, owned by the caller
     * @return this builder
     */
    public PeerBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Chooses the transport by provider name ({@code nio}, {@code local}); overrides
     * {@code p2pchat.transport}.
     *
     * @param providerName the provider's name
     * @return this builder
     */
    public PeerBuilder transport(String providerName) {
        this.transportName = Objects.requireNonNull(providerName, "providerName");
        this.provider = null;
        return this;
    }

    /**
     * Uses this provider, bypassing discovery.
     *
     * @param transportProvider the provider
     * @return this builder
     */
    public PeerBuilder transport(TransportProvider transportProvider) {
        this.provider = Objects.requireNonNull(transportProvider, "transportProvider");
        return this;
    }

    /**
     * Sets the largest frame sent or accepted; see {@link TransportOptions#maxFrameBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public PeerBuilder maxFrameBytes(int bytes) {
        options.maxFrameBytes(bytes);
        return this;
    }

    /**
     * Sets each connection's write queue limit; see {@link TransportOptions#writeQueueLimitBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public PeerBuilder writeQueueLimitBytes(long bytes) {
        options.writeQueueLimitBytes(bytes);
        return this;
    }

    /**
     * Sets how long an unused connection stays open; see {@link TransportOptions#idleTimeout()}.
     *
     * @param timeout zero for never
     * @return this builder
     */
    public PeerBuilder idleTimeout(Duration timeout) {
        options.idleTimeout(timeout);
        return this;
    }

    /**
     * Sets the connection cap; see {@link TransportOptions#maxConnections()}.
     *
     * @param connections at least 1
     * @return this builder
     */
    public PeerBuilder maxConnections(int connections) {
        options.maxConnections(connections);
        return this;
    }

    /**
     * Sets the connect timeout; see {@link TransportOptions#connectTimeout()}.
     *
     * @param timeout positive
     * @return this builder
     */
    public PeerBuilder connectTimeout(Duration timeout) {
        options.connectTimeout(timeout);
        return this;
    }

    /**
     * Sets how long closing may spend flushing; see {@link TransportOptions#closeTimeout()}.
     *
     * @param timeout positive
     * @return this builder
     */
    public PeerBuilder closeTimeout(Duration timeout) {
        options.closeTimeout(timeout);
        return this;
    }

    /**
     * Sets the clock for idle closes and timeouts; for tests that advance time by hand.
     *
     * @param ticker the clock
     * @return this builder
     */
    public PeerBuilder ticker(Ticker ticker) {
        options.ticker(ticker);
        return this;
    }

    /**
     * Creates the transport, binds the listen address and returns the running peer.
     *
     * @return the peer; close it when done
     * @throws TransportNotFoundException if no transport can be chosen
     * @throws ListenFailedException if the listen address cannot be bound
     */
    public Peer start() {
        TransportProvider chosen = provider != null ? provider
                : TransportSelector.discover(transportName);
        TransportOptions transportOptions = options.build();
        PeerAddress address = listenAddress != null ? listenAddress
                : directory.lookup(name).map(PeerEntry::address).orElse(PeerAddress.loopback(0));
        ExecutorService owned = callbackExecutor == null
                ? Executors.newSingleThreadExecutor(SerialCallbacks.daemonThreads(name)) : null;
        Executor callbacks = SerialCallbacks.serial(owned != null ? owned : callbackExecutor);
        Transport transport = chosen.create(transportOptions);
        return new ChatNode(name, directory, listener, callbacks, owned, transport,
                transportOptions).start(address);
    }
}
