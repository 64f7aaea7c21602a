package org.p2pchat.core.internal.delivery;

import java.util.List;
import org.p2pchat.core.internal.observe.FlightEvents;
import org.p2pchat.core.internal.observe.Gauges;
import org.p2pchat.core.internal.observe.LinkCounters;
import org.p2pchat.core.internal.observe.LinkSample;
import org.p2pchat.core.internal.observe.StallTimer;
import org.p2pchat.spi.Ticker;

/**
 * What a {@link FriendLink}'s delivery tells its {@link LinkCounters}: the frames its {@link
 * Transmitter} writes, which of their messages go out again, the ACKs that come back and how long
 * they took, and the stalls of the friend's window; and the {@code Resend} and {@code
 * WindowStall} Flight Recorder events. Its {@link Inflow} counts what arrives into the same
 * counters.
 *
 * <p>Work per DATA frame and per ACK, none per message beyond reading the entries the frame
 * holds anyway; nothing allocated. Not thread-safe: every method is called with the link's lock
 * held.
 */
final class DeliveryMeter {
    private final FriendLink link;
    private final Outbox outbox;
    private final Ticker ticker;
    private final LinkCounters counters = new LinkCounters();
    private final StallTimer stall = new StallTimer();
    /**
     * When messages began going out on the current connection: an acknowledged message written
     * before that went out on an earlier one, and its delay says nothing of this one.
     */
    private long since;
    /** The id of the current connection, for events; -1 while there is none. */
    private long connection = -1;
    /** The highest number written so far: one at or below it goes out again. */
    private long highestSent;
    /** Messages written again since the current connection began carrying them. */
    private long resentHere;

    /**
     * Creates the meter of one link.
     *
     * @param link the link, for its name in events
     * @param outbox its messages
     * @param inflow what it receives, which counts into the same counters
     * @param ticker the node's clock
     */
    DeliveryMeter(FriendLink link, Outbox outbox, Inflow inflow, Ticker ticker) {
        this.link = link;
        this.outbox = outbox;
        this.ticker = ticker;
        inflow.countInto(counters);
    }

    LinkCounters counters() {
        return counters;
    }

    /**
     * Messages go out on another connection from now on, or on none.
     *
     * @param next the connection, or null
     */
    void sendingOn(LinkSession next) {
        long now = ticker.nanoTime();
        stall.end(now, counters);
        resendsDone();
        since = now;
        connection = next == null ? -1 : next.connection().id();
    }

    /**
     * The transmitter took the messages of its next DATA frame, or found none could go.
     *
     * @param batch the frame's messages, or null if none went
     * @param credit the window granted on the current connection
     */
    void took(DataBatch batch, long credit) {
        if (batch != null) {
            int fresh = 0;
            int again = 0;
            long freshBytes = 0;
            for (Outbox.Entry e : batch.entries()) {
                // Numbers go out in order, so what is at or below the highest went out before.
                if (e.seq <= highestSent) {
                    again++;
                } else {
                    fresh++;
                    freshBytes += e.utf8.length;
                }
            }
            highestSent = Math.max(highestSent, batch.lastSeq());
            counters.sent(fresh, freshBytes, again);
            resentHere += again;
        }
        Outbox.Entry next = outbox.peekWaiting();
        if (resentHere > 0 && (next == null || next.seq > highestSent)) {
            resendsDone();
        }
        boolean blocked = next != null && credit >= 0
                && outbox.inFlightUnits() + next.units() > credit;
        if (stall.running() && (batch != null || !blocked)) {
            stall.end(ticker.nanoTime(), counters);
        }
        if (blocked && !stall.running()) {
            stall.begin(ticker.nanoTime(), link.friend(), connection, credit,
                    outbox.inFlightUnits(), outbox.size());
        }
    }

    /** Everything to go out again on this connection went: one event for all of it. */
    private void resendsDone() {
        if (resentHere > 0) {
            FlightEvents.resent(link.friend(), connection, resentHere);
            resentHere = 0;
        }
    }

    /**
     * An ACK arrived.
     *
     * @param done the messages it acknowledged, in order
     */
    void acknowledged(List<Outbox.Entry> done) {
        long delay = -1;
        long now = 0;
        if (!done.isEmpty()) {
            now = ticker.nanoTime();
            // The newest message written on this connection: usually the last one.
            for (int i = done.size() - 1; i >= 0; i--) {
                Outbox.Entry e = done.get(i);
                if (e.transmitted && e.transmittedAt - since >= 0) {
                    delay = now - e.transmittedAt;
                    break;
                }
            }
        }
        counters.acknowledged(done.size(), delay, now);
    }

    /**
     * Reads the counters and what the link holds now.
     *
     * @param transmitter the link's transmitter, for the window granted
     * @param openConnections the link's open connections
     * @param outboxLimit the outbox limit
     * @return the sample
     */
    LinkSample sample(Transmitter transmitter, int openConnections, long outboxLimit) {
        return new LinkSample(counters.read(), new Gauges(outbox.size(), outbox.units(),
                outboxLimit, outbox.inFlightCount(), outbox.inFlightUnits(),
                Math.max(0, transmitter.credit()), openConnections));
    }
}
