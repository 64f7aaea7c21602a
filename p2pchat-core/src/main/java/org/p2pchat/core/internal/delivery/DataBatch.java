package org.p2pchat.core.internal.delivery;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The messages of one DATA frame: the ones at the front of an {@link Outbox} that the frame limit,
 * the batch size and the friend's window let go together, and their encoding.
 *
 * <p>{@link #take} runs under the {@link FriendLink}'s lock; {@link #send} runs outside it, on
 * the one thread flushing the link.
 */
final class DataBatch {
    private static final ThreadLocal<ByteBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(4096));

    private final LinkSession session;
    private final long firstSeq;
    private final long floor;
    private final List<Outbox.Entry> entries;
    private final int bytes;

    private DataBatch(LinkSession session, long firstSeq, long floor, List<Outbox.Entry> entries,
            int bytes) {
        this.session = session;
        this.firstSeq = firstSeq;
        this.floor = floor;
        this.entries = entries;
        this.bytes = bytes;
    }

    /**
     * Marks the next waiting messages transmitted and returns them as one frame's worth. A
     * message at the front that could never fit a frame to this friend is removed into
     * {@code tooLarge} instead (the floor moves past it).
     *
     * @param outbox the messages
     * @param session the connection the frame goes to
     * @param maxPlain the largest plaintext of a frame the friend accepts
     * @param credit the window the friend granted, counted like the outbox
     * @param now the ticker's time, recorded as each message's transmission time
     * @param tooLarge receives the messages abandoned as too large
     * @return the batch, or null if no message can go now
     */
    static DataBatch take(Outbox outbox, LinkSession session, int maxPlain, long credit, long now,
            List<Outbox.Entry> tooLarge) {
        int budget = Math.min(maxPlain, DeliveryOptions.BATCH_BYTES);
        // Sized for what waits, up to what a frame of messages the size of the first holds: a
        // frame of 64-byte messages takes hundreds, and growing the list is a copy per doubling.
        int estimate = !outbox.hasWaiting() ? 0
                : budget / MessageFrames.messageBytes(outbox.peekWaiting().utf8.length) + 1;
        List<Outbox.Entry> entries = new ArrayList<>(Math.min(outbox.waitingCount(), estimate));
        long floor = outbox.floor();
        long first = 0;
        int bytes = 0;
        while (outbox.hasWaiting()) {
            Outbox.Entry e = outbox.peekWaiting();
            int header = entries.isEmpty() ? 1 + MessageFrames.varintBytes(e.seq)
                    + MessageFrames.varintBytes(e.seq - floor) : 0;
            int size = header + MessageFrames.messageBytes(e.utf8.length);
            if (bytes + size > maxPlain) {
                if (entries.isEmpty() && !outbox.hasInFlight()) {
                    // It is at the front and can never be sent: abandon it, the floor moves on.
                    tooLarge.add(outbox.removeFront());
                    floor = outbox.floor();
                    continue;
                }
                break;
            }
            if (!entries.isEmpty() && bytes + size > budget
                    || outbox.inFlightUnits() + e.units() > credit) {
                break;
            }
            if (entries.isEmpty()) {
                first = e.seq;
            }
            entries.add(outbox.transmitNext(now));
            bytes += size;
        }
        return entries.isEmpty() ? null : new DataBatch(session, first, floor, entries, bytes);
    }

    LinkSession session() {
        return session;
    }

    /**
     * Encodes, seals and sends the frame; no lock held.
     *
     * @return completes when the transport has written the frame
     */
    CompletionStage<Void> send() {
        ByteBuffer frame = SCRATCH.get();
        if (frame.capacity() < bytes) {
            frame = ByteBuffer.allocate(bytes);
            if (bytes <= DeliveryOptions.BATCH_BYTES) {
                SCRATCH.set(frame);
            }
        }
        frame.clear();
        MessageFrames.putDataHeader(frame, firstSeq, floor);
        for (Outbox.Entry e : entries) {
            MessageFrames.putMessage(frame, e.kind, e.utf8);
        }
        return session.channel().send(frame.flip());
    }

    /** For stats: the messages, in order. */
    List<Outbox.Entry> entries() {
        return entries;
    }

    /** For stats: the number of the last message. */
    long lastSeq() {
        return firstSeq + entries.size() - 1;
    }
}
