package org.p2pchat.core.internal.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;

/**
 * What this peer has received from one friend: the next message number it expects from the
 * friend's current process (so that a message sent again after a reconnect is handed to the
 * listener once), and the messages handed to the listener that it has not finished with (so that
 * a friend can never make this peer hold more than {@code p2pchat.receiveWindowBytes} for it).
 *
 * <p>Each acknowledgement grants the friend a window: how many more bytes it may send beyond the
 * messages acknowledged. A friend that sends beyond it breaks the protocol and is disconnected.
 *
 * <p>Thread-safe: the event loop receives and acknowledges; the listener's thread reports what it
 * has finished with, which may reopen the window. Acknowledgements are written under the lock, so
 * they leave in the order their numbers were taken.
 */
public final class Inflow {

    /** How much heap an inflow reserves in the node's budget at a time. */
    static final long CREDIT_CHUNK = 4096;

    /** Receives the messages of a DATA frame that are new. */
    public interface Delivery {
        /**
         * Hands new text messages on, in order: those of one frame that follow each other (a
         * message of another kind, or a copy, in between starts a new call). Once the store has
         * recorded one, call {@link #recorded} with its number: acknowledgements cover only what
         * is recorded.
         *
         * @param texts the messages; reused once this returns, so copy what you keep
         */
        void deliver(ArrivedTexts texts);

        /**
         * A message sent again by a later process was delivered before (by the ledger): it is not
         * handed on, but an acknowledgement may cover it only once what the store was given
         * before it is written (the record that makes it a copy may still be on its way). Call
         * {@link #recorded} with its number then.
         *
         * @param seq the number it came with
         */
        void alreadyDelivered(long seq);

        /**
         * Hands one new message of another kind on (a room's).
         *
         * @param kind its kind, {@link MessageFrames#KIND_ROOM_POST} or
         *     {@link MessageFrames#KIND_ROOM_CONTROL}
         * @param body its bytes
         * @param units what it counts against the window; pass it back to {@link #consumed}
         * @throws ProtocolException by default: a receiver of text alone refuses other kinds
         */
        default void deliver(byte kind, byte[] body, long units) {
            throw new ProtocolException("a message of kind " + kind + " where only text is"
                    + " expected");
        }
    }

    /** An ACK goes out once this many recorded messages are not acknowledged yet. */
    static final int ACK_EVERY = 64;

    private final String friend;
    private final long window;
    private final ReceiveLedger ledger;
    /** The texts of the frame being read, not handed on yet. */
    private final ArrivedTexts arrived = new ArrivedTexts();
    /** {@link #lastHandedText} before the first of {@link #arrived}. */
    private long handedBeforeArrived;
    private PeerKey key;
    /** The highest number of a text message handed on for recording, in this epoch. */
    private long lastHandedText;
    /** The highest number of a text message the store has recorded, in this epoch. */
    private long lastRecordedText;
    /** The highest number an ACK said, in this epoch. */
    private long lastAckedSeq;
    /** Set while this thread is in {@link #receive}: its ACK follows at the end of the read. */
    private boolean receiving;
    /**
     * A connection whose first ACK waits for the store: that ACK may start a forgotten sender's
     * numbering ({@code acked + 1}), so it must cover everything handed on. Null if none waits.
     */
    private LinkSession firstAckWaiting;
    private final MemoryBudget budget;
    private final boolean stranger;
    /**
     * Heap reserved in the budget and not taken by a held message yet; at most two chunks at
     * rest. Guarded by this object's lock.
     */
    private long credit;
    /** Costs of messages the listener has finished with, not yet given back to the budget. */
    private final AtomicLong returned = new AtomicLong();
    private boolean started;
    private long epoch;
    /** The next number to deliver; 0 while unknown (nothing received from this process). */
    private long expected;
    /** Atomic so that the listener's thread can finish messages without the lock. */
    private final AtomicLong backlog = new AtomicLong();
    private volatile long admitted;
    private volatile long advertisedEnd;
    private LinkSession lastData;
    /**
     * The latest connection an ACK was written on: after a reconnect the friend sends on it
     * before any DATA arrives there, so window updates must not wait for its first DATA.
     */
    private LinkSession lastAcked;
    /** Where what arrives is counted: its link's counters. Guarded by this object's lock. */
    private org.p2pchat.core.internal.observe.LinkCounters counters =
            new org.p2pchat.core.internal.observe.LinkCounters();

    /**
     * Creates the record of one friend.
     *
     * @param friend its name
     * @param window the receive window, in units
     * @param budget the node's memory budget every held message is reserved in
     * @param stranger whether the friend is a stranger (one the directory does not list)
     * @param ledger how far the processes of every peer were delivered
     */
    public Inflow(String friend, long window, MemoryBudget budget, boolean stranger,
            ReceiveLedger ledger) {
        this.friend = friend;
        this.ledger = ledger;
        this.window = window;
        this.budget = budget;
        this.stranger = stranger;
    }

    /**
     * A connection from the friend's process with this epoch is open: if the process is new,
     * numbering starts again.
     *
     * <p>What was delivered of the old process is kept in the ledger (the friend may send it
     * again from a durable outbox); what the ledger says of the new one (this peer restarted and
     * the store remembers) is where numbering resumes.
     *
     * @param remoteEpoch the epoch from its HELLO
     * @param peer the friend's key, which the handshake proved
     * @return true if the epoch changed (the friend restarted)
     */
    synchronized boolean epoch(long remoteEpoch, PeerKey peer) {
        if (started && epoch == remoteEpoch) {
            return false;
        }
        boolean restarted = started;
        if (started && key != null && expected > 1) {
            ledger.remember(key, epoch, expected - 1);
        }
        key = peer;
        started = true;
        epoch = remoteEpoch;
        long known = ledger.deliveredUpTo(peer, remoteEpoch);
        expected = known == 0 ? 0 : known + 1;
        lastHandedText = 0;
        lastRecordedText = 0;
        lastAckedSeq = 0;
        return restarted;
    }

    /**
     * The store has recorded a text message: acknowledgements may cover it now. When a store
     * records later than the read that brought the message (a durable one, committing on its
     * own thread), the ACK goes out from here, once every message handed on is recorded or
     * {@link #ACK_EVERY} wait.
     *
     * @param wireEpoch the epoch it came in
     * @param seq the number it came with
     */
    public synchronized void recorded(long wireEpoch, long seq) {
        if (wireEpoch != epoch) {
            return;
        }
        lastRecordedText = Math.max(lastRecordedText, seq);
        if (receiving) {
            return;
        }
        if (lastRecordedText == lastHandedText && firstAckWaiting != null) {
            LinkSession waiting = firstAckWaiting;
            firstAckWaiting = null;
            acknowledge(waiting);
        }
        if (lastRecordedText == lastHandedText || lastRecordedText - lastAckedSeq >= ACK_EVERY) {
            LinkSession target = windowUpdateTarget();
            if (target != null) {
                acknowledge(target);
            }
        }
    }

    /** Lock held: what an ACK may say was received: nothing beyond what the store recorded. */
    private long acknowledgeable() {
        return lastRecordedText == lastHandedText ? Math.max(0, expected - 1) : lastRecordedText;
    }

    /** The epoch of the friend's current process, as its latest connection's HELLO said. */
    public synchronized long currentEpoch() {
        return epoch;
    }

    /**
     * Reads a DATA frame and hands each message not delivered before to {@code delivery}, in
     * order.
     *
     * <p>A frame from an earlier process of the friend (still being read on its old connection
     * after a connection from the new process reset the numbering) is ignored: its numbers
     * belong to the old numbering.
     *
     * @param frame the frame, after its type byte
     * @param session the connection it came on, which later window updates go to
     * @param delivery where new messages go
     * @throws ProtocolException if the frame is malformed, skips a number, or overruns the window
     */
    public synchronized void receive(ByteBuffer frame, LinkSession session, Delivery delivery) {
        counters.dataReceived();
        if (started && session.remoteEpoch() != epoch) {
            return;
        }
        receiving = true;
        Throwable failure = null;
        try {
            receiveData(frame, session, delivery);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                // Even when the frame turns out malformed: what was taken of it goes on.
                handOn(delivery);
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            } finally {
                receiving = false;
            }
        }
    }

    private void receiveData(ByteBuffer frame, LinkSession session, Delivery delivery) {
        MessageFrames.DataHeader header = MessageFrames.readDataHeader(frame);
        if (expected == 0 || header.floor() > expected) {
            // Unknown: this peer restarted. Higher: the friend abandoned messages (timed out).
            expected = header.floor();
        }
        if (header.firstSeq() > expected) {
            throw new ProtocolException(friend + " sent message " + header.firstSeq()
                    + " when " + expected + " was next");
        }
        lastData = session;
        long seq = header.firstSeq();
        while (frame.hasRemaining()) {
            int length = MessageFrames.readMessageLength(frame) - MessageFrames.KIND_BYTES;
            if (length < 0) {
                throw new ProtocolException(friend + " sent a message without a kind");
            }
            byte kind = frame.get();
            if (!MessageFrames.knownKind(kind)) {
                throw new ProtocolException(friend + " sent a message of unknown kind " + kind);
            }
            MessageFrames.FirstNumber first = null;
            int prefix = 0;
            if (seq == expected && kind == MessageFrames.KIND_TEXT_AGAIN) {
                ByteBuffer body = frame.slice(frame.position(), length);
                first = MessageFrames.readTextAgain(body);
                // As read: a varint may come in a longer form than the shortest.
                prefix = body.position();
                if (first.seq() <= ledger.deliveredUpTo(key, first.epoch())
                        || first.seq() <= arrived.highestFirstSeq(first.epoch())) {
                    // Delivered by the process that first sent it, or by an earlier restore.
                    lastHandedText = seq;
                    handOn(delivery);
                    delivery.alreadyDelivered(seq);
                    expected++;
                }
            }
            if (seq == expected) {
                long units = (long) length + MessageFrames.MESSAGE_OVERHEAD;
                if (admitted + units > advertisedEnd) {
                    // Against what was granted, not what the listener has left over: a friend
                    // overrunning its window is caught even while the listener keeps up.
                    throw new ProtocolException(friend + " sent beyond the window it was granted"
                            + " (p2pchat.receiveWindowBytes = " + window + ")");
                }
                if (!takeCredit(MemoryBudget.cost(length))) {
                    // Before its string is made: a peer's memory is never promised twice.
                    throw new ProtocolException(friend + " sent more than this peer's memory for "
                            + (stranger ? "strangers" : "friends")
                            + " holds now (p2pchat.inboundMemoryBytes = " + budget.limit() + ")");
                }
                backlog.addAndGet(units);
                admitted += units;
                counters.received(length);
                if (kind == MessageFrames.KIND_TEXT) {
                    holdText();
                    lastHandedText = seq;
                    arrived.add(utf8(frame, length), epoch, seq, seq, units);
                    handOnIfFull(delivery);
                } else if (first != null) {
                    frame.position(frame.position() + prefix);
                    holdText();
                    lastHandedText = seq;
                    arrived.add(utf8(frame, length - prefix), first.epoch(), first.seq(), seq,
                            units);
                    handOnIfFull(delivery);
                } else {
                    byte[] body = new byte[length];
                    frame.get(body);
                    handOn(delivery);
                    delivery.deliver(kind, body, units);
                }
                expected++;
            } else {
                frame.position(frame.position() + length);
            }
            seq++;
        }
    }

    /**
     * Lock held: the texts an earlier process of the friend first sent, handed on, go in the
     * ledger. Only once handed on: a copy that failed to go on must be taken as new when the
     * friend sends it again, not as one delivered before.
     */
    private void rememberSentAgain() {
        for (int i = 0; i < arrived.size(); i++) {
            if (arrived.firstEpoch(i) != epoch || arrived.firstSeq(i) != arrived.seq(i)) {
                ledger.remember(key, arrived.firstEpoch(i), arrived.firstSeq(i));
            }
        }
    }

    /** Lock held: a text joins {@link #arrived}; the first remembers what was handed before. */
    private void holdText() {
        if (arrived.size() == 0) {
            handedBeforeArrived = lastHandedText;
        }
    }

    /** Lock held: a frame of many texts goes on in parts, {@link ArrivedTexts#CAPACITY} each. */
    private void handOnIfFull(Delivery delivery) {
        if (arrived.isFull()) {
            handOn(delivery);
        }
    }

    /**
     * Lock held: the texts taken so far go on, before anything that follows them. If that
     * fails, they count as never received: the friend's copy of them is taken again, and no
     * acknowledgement covers them meanwhile.
     */
    private void handOn(Delivery delivery) {
        if (arrived.size() == 0) {
            return;
        }
        try {
            delivery.deliver(arrived);
        } catch (RuntimeException | Error e) {
            expected = arrived.seq(0);
            lastHandedText = handedBeforeArrived;
            for (int i = 0; i < arrived.size(); i++) {
                consumed(arrived.units(i));
            }
            arrived.clear();
            throw e;
        }
        // Handed on whatever the ledger does next: they are not taken back if it throws.
        try {
            rememberSentAgain();
        } finally {
            arrived.clear();
        }
    }

    private static String utf8(ByteBuffer frame, int length) {
        String s;
        if (frame.hasArray()) {
            s = new String(frame.array(), frame.arrayOffset() + frame.position(), length,
                    StandardCharsets.UTF_8);
        } else {
            byte[] b = new byte[length];
            frame.get(frame.position(), b);
            s = new String(b, StandardCharsets.UTF_8);
        }
        frame.position(frame.position() + length);
        return s;
    }

    /**
     * Writes an ACK on a connection: everything received so far, and the window beyond it. Later
     * window updates go to it if the connection of the latest DATA has closed.
     *
     * @param session the connection
     */
    public synchronized void acknowledge(LinkSession session) {
        if (!session.isOpen()) {
            return;
        }
        if (session != lastAcked && lastRecordedText != lastHandedText) {
            // A new connection's first ACK says all that was handed on (see firstAckWaiting):
            // it goes once the store has it, from recorded().
            firstAckWaiting = session;
            return;
        }
        lastAcked = session;
        long grant = room();
        advertisedEnd = admitted + grant;
        ByteBuffer ack = ByteBuffer.allocate(1 + 9 + 9);
        lastAckedSeq = acknowledgeable();
        MessageFrames.putAck(ack, lastAckedSeq, grant);
        try {
            session.channel().write(ack.flip());
            counters.ackSent();
        } catch (org.p2pchat.api.P2pChatException e) {
            // The connection is closing; the next one starts with an ACK of its own.
        }
    }

    /**
     * The listener is done with a message: its bytes leave the backlog, and if the friend's window
     * had shrunk below half and has grown by a quarter since, the friend is told. (The loop's ACKs
     * after each read carry the window too; this covers a listener slower than the network.) With
     * a window of at least two frames, a friend with a message of any allowed size always gets
     * room for it once the listener catches up.
     *
     * @param units what {@link Delivery#deliver} was given
     */
    public void consumed(long units) {
        long left = backlog.addAndGet(-units);
        long back = returned.addAndGet(
                MemoryBudget.cost((int) (units - MessageFrames.MESSAGE_OVERHEAD)));
        if (left == 0 || back > CREDIT_CHUNK) {
            // Given back in chunks (the node-wide counter is shared by every sender, and by the
            // event loop and this thread), and at once when nothing is held any more.
            budget.release(returned.getAndSet(0), stranger);
        }
        if (opensWindow(room())) {
            synchronized (this) {
                LinkSession target = windowUpdateTarget();
                if (target != null && opensWindow(room())) {
                    acknowledge(target);
                }
            }
        }
    }

    /**
     * Lock held: the connection of the latest DATA, where the friend sends; once that one has
     * closed, the latest one acknowledged on, since the friend sends on a new connection as soon
     * as its first ACK arrives. Null if neither is open.
     */
    private LinkSession windowUpdateTarget() {
        if (lastData != null && lastData.isOpen()) {
            return lastData;
        }
        return lastAcked != null && lastAcked.isOpen() ? lastAcked : null;
    }

    /**
     * Lock held: takes a held message's heap cost from this inflow's credit, reserving more in
     * the node's budget when it runs out: a chunk at a time while the budget allows, so that the
     * shared counter is not touched for every message.
     *
     * @return false if the budget cannot hold the message
     */
    private boolean takeCredit(long cost) {
        if (credit < cost) {
            credit += returned.getAndSet(0);
        }
        if (credit < cost) {
            long chunk = Math.max(cost - credit, CREDIT_CHUNK);
            if (budget.reserve(chunk, stranger)) {
                credit += chunk;
            } else if (budget.reserve(cost - credit, stranger)) {
                credit = cost;
            } else {
                return false;
            }
        }
        credit -= cost;
        if (credit > 2 * CREDIT_CHUNK) {
            budget.release(credit - CREDIT_CHUNK, stranger);
            credit = CREDIT_CHUNK;
        }
        return true;
    }

    /** What may be granted now: the window's rest, within what the memory budget has left. */
    private long room() {
        return Math.max(0, Math.min(window - backlog.get(), budget.grantableUnits(stranger)));
    }

    private boolean opensWindow(long room) {
        long remaining = advertisedEnd - admitted;
        return remaining < window / 2 && room - remaining >= window / 4;
    }

    /** For tests and diagnostics: bytes handed to the listener and not yet finished with. */
    public long backlog() {
        return backlog.get();
    }

    /**
     * Counts what arrives from now on into a link's counters: this inflow's link's, which may be
     * a new one after its node forgot the last (a stranger's).
     *
     * @param linkCounters the counters
     */
    synchronized void countInto(org.p2pchat.core.internal.observe.LinkCounters linkCounters) {
        counters = linkCounters;
    }
}
