package org.p2pchat.core.internal.delivery;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionClosedException.Reason;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.core.internal.noise.CipherState;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.spi.Ticker;

/**
 * Sends a {@link FriendLink}'s waiting messages on the connection it chose: as many as the window
 * the friend granted there allows, as {@link DataBatch} frames, with one frame in the transport at
 * a time, so that messages that queue up meanwhile go out packed into the next one.
 *
 * <p>Any thread may {@link #flush}; one at a time does the work, sealing and writing with no lock
 * held, and the others leave their messages to it. The other methods are called with the link's
 * lock held, which guards this object's state.
 */
final class Transmitter {
    private final FriendLink lock;
    private final String friend;
    private final Outbox outbox;
    private final DeliveryOptions options;
    private final Ticker ticker;

    private LinkSession session;
    /** The window the friend granted on {@link #session}; -1 until its first ACK there. */
    private long credit = -1;
    private boolean flushing;
    private boolean frameInTransport;

    /**
     * Creates the transmitter of one link; it sends nothing before {@link #sendOn}.
     *
     * @param lock the link's lock
     * @param friend the friend's name, for messages
     * @param outbox the link's messages
     * @param options the frame limit
     * @param ticker the node's clock, to time writes
     */
    Transmitter(FriendLink lock, String friend, Outbox outbox, DeliveryOptions options, Ticker ticker) {
        this.lock = lock;
        this.friend = friend;
        this.outbox = outbox;
        this.options = options;
        this.ticker = ticker;
    }

    /**
     * Lock held: messages go out on this connection from now on, once an ACK on it grants a
     * window; or on none.
     *
     * @param next the connection, or null
     */
    void sendOn(LinkSession next) {
        session = next;
        credit = -1;
        frameInTransport = false;
        lock.meter.sendingOn(next);
    }

    /**
     * Lock held: an ACK arrived.
     *
     * @param on the connection it came on
     * @param window the window it grants
     * @param leftFlight the units of the messages it took out of flight
     */
    void granted(LinkSession on, long window, long leftFlight) {
        if (on == session) {
            credit = window;
        } else if (credit >= 0) {
            // The current connection's window was granted before these arrived, and they now
            // fill it: they leave the flight but not the friend's backlog.
            credit = Math.max(0, credit - leftFlight);
        }
    }

    /**
     * Lock held, after a message was queued: whether {@link #flush} could send it now. When it
     * could not, whatever stands in the way calls flush once it clears (the frame in transport
     * finishing, the thread flushing going round again, an ACK granting the window, a new
     * connection), so a sender can skip the call and its two lock entries.
     */
    boolean mightSend() {
        if (session == null || frameInTransport || flushing || credit < 0) {
            return false;
        }
        if (credit <= outbox.inFlightUnits()) {
            // The window is full: the stall starts now, as flush would have noted.
            lock.meter.took(null, credit);
            return false;
        }
        return true;
    }

    /** Sends what the window allows; one thread at a time does it, any thread may call. */
    void flush() {
        synchronized (lock) {
            if (flushing) {
                return;
            }
            flushing = true;
        }
        List<Outbox.Entry> tooLarge = new ArrayList<>();
        try {
            while (true) {
                DataBatch batch;
                synchronized (lock) {
                    batch = nextBatch(tooLarge);
                    if (batch == null) {
                        flushing = false;
                        break;
                    }
                }
                write(batch);
            }
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                flushing = false;
            }
            throw e;
        }
        for (Outbox.Entry e : tooLarge) {
            e.done.completeExceptionally(new MessageTooLargeException("message of "
                    + e.utf8.length + " bytes does not fit in the frames " + friend
                    + " accepts (its p2pchat.maxFrameBytes is smaller than this peer's)"));
        }
    }

    /** Lock held: takes the next messages to send, or returns null if none can go now. */
    private DataBatch nextBatch(List<Outbox.Entry> tooLarge) {
        LinkSession s = session;
        if (s == null || credit < 0 || frameInTransport || !outbox.hasWaiting() || !s.isOpen()) {
            return null;
        }
        int maxPlain = Math.min(options.maxFrameBytes(), s.remoteMaxFrameBytes())
                - CipherState.TAG_BYTES;
        int before = tooLarge.size();
        DataBatch batch = DataBatch.take(outbox, s, maxPlain, credit, ticker.nanoTime(), tooLarge);
        lock.meter.took(batch, credit);
        if (tooLarge.size() > before) {
            lock.recordFailed(tooLarge.subList(before, tooLarge.size()));
        }
        frameInTransport = batch != null;
        return batch;
    }

    /** Seals and sends one DATA frame; no lock held. */
    private void write(DataBatch batch) {
        LinkSession s = batch.session();
        CompletionStage<Void> sent;
        try {
            sent = batch.send();
        } catch (RuntimeException e) {
            // Nothing may be left half-sent on this connection: drop it, resend on the next.
            s.connection().abort(new ConnectionClosedException(Reason.PROTOCOL_ERROR,
                    "could not send to " + friend + ": " + e, e));
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((v, e) -> written(s));
    }

    private void written(LinkSession written) {
        synchronized (lock) {
            if (written != session) {
                return;
            }
            frameInTransport = false;
        }
        // Usually the transport's loop: sends failed by this flush must not block it.
        boolean marked = NodeThreads.enter();
        try {
            flush();
        } finally {
            NodeThreads.exit(marked);
        }
    }

    /**
     * Asks the friend for an ACK on a connection; no lock held.
     *
     * @param on the connection
     */
    static void ping(LinkSession on) {
        try {
            on.channel().write(ByteBuffer.wrap(new byte[] {MessageFrames.PING}));
        } catch (P2pChatException e) {
            // The connection is closing: detach follows.
        }
    }

    /** Lock held; for stats: the window granted on the current connection, -1 before its ACK. */
    long credit() {
        return credit;
    }
}
