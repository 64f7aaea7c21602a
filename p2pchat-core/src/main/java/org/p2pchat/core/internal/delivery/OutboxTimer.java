package org.p2pchat.core.internal.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.spi.Ticker;

/**
 * The timer of a {@link FriendLink}'s waiting messages. While messages wait it ticks: it fails
 * those whose delivery timeout passed, asks the link's {@link Liveness} whether to PING the
 * connection they wait on or close it, and has the link open a connection if none is open or
 * coming. With an empty outbox it stops and nothing is sent, so idle connections can close.
 *
 * <p>Guarded by the link's lock: the link calls {@link #start} and {@link #stop} with it held. A
 * tick runs on the node's timer; it decides under the lock and acts (failing messages, a PING,
 * an abort, telling the node the link is idle) after letting go of it.
 */
final class OutboxTimer {
    private final FriendLink link;
    private final Outbox outbox;
    private final LinkConnections connections;
    private final Liveness liveness;
    private final Redial redial;
    private final Transmitter transmitter;
    private final FriendLink.Connector connector;
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final DeliveryOptions options;

    private ScheduledFuture<?> tick;

    /**
     * Creates the timer of one link; it does not tick before {@link #start}.
     *
     * @param link the link, whose lock guards this timer
     * @param outbox its messages
     * @param connections its connections
     * @param liveness judges the connection the messages wait on
     * @param redial its attempts to connect, whose last failure explains expired messages
     * @param transmitter sends what expiry unblocked
     * @param connector told when the link is left idle
     * @param ticker the node's clock
     * @param timer runs the ticks
     * @param options the tick period and the delivery timeout
     */
    OutboxTimer(FriendLink link, Outbox outbox, LinkConnections connections, Liveness liveness,
            Redial redial, Transmitter transmitter, FriendLink.Connector connector, Ticker ticker,
            ScheduledExecutorService timer, DeliveryOptions options) {
        this.link = link;
        this.outbox = outbox;
        this.connections = connections;
        this.liveness = liveness;
        this.redial = redial;
        this.transmitter = transmitter;
        this.connector = connector;
        this.ticker = ticker;
        this.timer = timer;
        this.options = options;
    }

    /** Lock held: starts ticking if it is not. */
    void start() {
        if (tick != null) {
            return;
        }
        long period = options.tickNanos();
        try {
            tick = timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The node is closing.
        }
    }

    /** Lock held: stops ticking. */
    void stop() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    /** One tick, on the node's timer; the link's tests drive it by hand. */
    void tick() {
        List<Outbox.Entry> expired = new ArrayList<>();
        LinkSession abort = null;
        ConnectionClosedException abortReason = null;
        LinkSession ping = null;
        Throwable cause;
        boolean idle;
        synchronized (link) {
            long now = ticker.nanoTime();
            for (Outbox.Entry e = outbox.expireFront(now); e != null; e = outbox.expireFront(now)) {
                expired.add(e);
            }
            link.recordFailed(expired);
            cause = redial.lastFailure();
            LinkSession s = connections.current();
            if (s != null && s.isOpen() && !outbox.isEmpty()) {
                abortReason = liveness.failure(s, outbox, now);
                if (abortReason != null) {
                    abort = s;
                } else if (liveness.pingDue(s, outbox, now)) {
                    ping = s;
                }
            }
            if (outbox.isEmpty()) {
                stop();
            }
            link.ensureConnection();
            idle = link.idle();
        }
        Undelivered.fail(expired, cause, link.friend(), options.deliveryTimeout());
        if (abort != null) {
            abort.connection().abort(abortReason);
        }
        if (ping != null) {
            Transmitter.ping(ping);
        }
        // Expiry may have moved the floor past a message that blocked the ones behind it.
        transmitter.flush();
        if (idle && !expired.isEmpty()) {
            connector.idle(link);
        }
    }
}
