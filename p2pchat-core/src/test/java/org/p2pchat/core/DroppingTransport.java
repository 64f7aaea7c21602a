package org.p2pchat.core;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

/**
 * A transport provider for tests that wraps another (normally the in-JVM {@code local} one) and
 * can lose outbound frames in flight: a dropped frame is never passed to the inner connection,
 * yet the writer sees it succeed, as when a path loses a packet the sender thought was sent.
 * Everything else, including the callbacks, which receive this provider's own connections,
 * passes straight through.
 *
 * <p>A rule armed with {@link #dropNextWrite} applies to every connection of every transport
 * this provider created; give each peer its own provider to lose only its frames. Unlike the
 * real providers it has state and is not found by {@link java.util.ServiceLoader}: pass it to
 * {@link PeerBuilder#transport(org.p2pchat.spi.TransportProvider)}, for example
 * {@code P2pChat.builder("alice").transport(new DroppingTransport(new LocalTransportProvider()))}.
 *
 * <p><b>Threading:</b> thread-safe. Tests arm rules and read {@link #dropped()} from their own
 * thread; rules are used up on whatever thread writes the frame, and exactly one frame uses up
 * each rule however many threads write at once.
 */
public final class DroppingTransport implements TransportProvider {
    private final TransportProvider inner;
    private final AtomicReference<Predicate<ByteBuffer>> armed = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();

    /**
     * Wraps a provider.
     *
     * @param inner the provider whose transports carry the frames that are not dropped
     */
    public DroppingTransport(TransportProvider inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /**
     * Arms a one-shot rule: the next frame written ({@code write} or {@code send}) on any
     * connection that matches {@code which} is discarded, and the rule is disarmed. A
     * {@code send} of it returns a completed stage. A frame the inner connection would refuse
     * outright, because the connection is closed or the frame is over the maximum size, neither
     * matches nor uses up the rule, so it fails as usual. A later call replaces a rule still
     * armed.
     *
     * @param which tested with a read-only view of each frame's payload, position to limit; it
     *     runs on the writing thread and must not block
     */
    public void dropNextWrite(Predicate<ByteBuffer> which) {
        armed.set(Objects.requireNonNull(which, "which"));
    }

    /**
     * Counts the frames dropped since this provider was created.
     *
     * @return the count
     */
    public int dropped() {
        return dropped.get();
    }

    /**
     * Uses up the armed rule if the frame matches it.
     *
     * @return true if the frame must be dropped
     */
    boolean claimDrop(ByteBuffer frame) {
        Predicate<ByteBuffer> rule = armed.get();
        if (rule == null || !rule.test(frame.asReadOnlyBuffer())) {
            return false;
        }
        // Of several frames matching at once, only the one that disarms the rule is dropped.
        if (!armed.compareAndSet(rule, null)) {
            return false;
        }
        dropped.incrementAndGet();
        return true;
    }

    @Override
    public String name() {
        return "dropping-" + inner.name();
    }

    /** Only when named, like the local transport: a peer must never pick it by accident. */
    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Transport create(TransportOptions options) {
        return new WrappingTransport(inner.create(options),
                c -> new DroppingConnection(c, this, options.maxFrameBytes()));
    }
}
