package org.p2pchat.core.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.FileIntegrityException;
import org.p2pchat.api.FileRefusedException;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.FileTransferException;
import org.p2pchat.api.FileTransferException.Reason;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.noise.CipherState;

/**
 * The sending side of one transfer: it hashes the file, offers it, and once the receiver grants
 * credit on a connection (its <em>lane</em>) sends CHUNKs there from the offset the receiver
 * named, never more than the credit allows nor more than {@link FileOptions#inTransportBytes()}
 * unwritten in the connection's queue. A lane that closes stops the chunks; the receiver's next
 * CREDIT, on another connection, says where to go on from.
 *
 * <p>Its state is the file thread's alone: every method but the {@link FileTransfer} ones runs
 * there. {@link #bytesDone} and the stage may be read from anywhere.
 */
final class OutgoingTransfer implements FileTransfer {
    enum State { HASHING, OFFERED, SENDING, ENDED }

    static final long FIRST_REDIAL_MILLIS = 50;
    static final long MAX_REDIAL_MILLIS = 1000;

    private final FileTransfers hub;
    final TransferId id;
    /** Null while the friend's key is unknown (a table friend not met yet); set by its answer. */
    volatile PeerKey key;
    final String label;
    final Path path;
    final String name;
    final long size;
    private volatile byte[] sha256;
    private final CompletableFuture<Path> done = new CompletableFuture<>();
    private final Progress progress;
    private volatile long confirmed;

    State state = State.HASHING;
    /** Whether the receiver has acknowledged the offer: after that a new connection re-offers. */
    private boolean offerDelivered;
    private LinkSession lane;
    private long position;
    private long limit;
    private int inTransport;
    private FileChannel file;
    /** The delay before the next attempt to reconnect a lane that closed; 0 while none waits. */
    private long redialNanos;

    OutgoingTransfer(FileTransfers hub, TransferId id, PeerKey key, String label, Path path,
            String name, long size, byte[] sha256) {
        this.hub = hub;
        this.id = id;
        this.key = key;
        this.label = label;
        this.path = path;
        this.name = name;
        this.size = size;
        this.sha256 = sha256;
        this.progress = new Progress(hub.net(), this);
    }

    /** File thread: computes the SHA-256 unless it is known (a transfer restored), then offers. */
    void start() {
        try {
            file = FileChannel.open(path, StandardOpenOption.READ);
            if (sha256 == null) {
                MessageDigest digest = Sha256.digest();
                Sha256.update(digest, file, size);
                if (file.size() != size) {
                    throw new IOException("its size changed from " + size + " to " + file.size()
                            + " bytes while it was read");
                }
                sha256 = digest.digest();
            } else if (file.size() != size) {
                throw new IOException("it has " + file.size() + " bytes now, " + size
                        + " when it was offered");
            }
        } catch (IOException e) {
            end(new FileTransferException(Reason.IO_ERROR, "cannot read " + path + ": "
                    + e.getMessage(), e), false);
            return;
        }
        state = State.OFFERED;
        hub.journal().saved(this);
        offer();
    }

    byte[] sha256() {
        return sha256;
    }

    /** File thread: sends the OFFER, by key once known. */
    private void offer() {
        byte[] body = FileFrames.offer(id, size, sha256, name);
        CompletionStage<Void> sent;
        try {
            PeerKey k = key;
            sent = k != null ? hub.net().send(k, body) : hub.net().send(label, body);
        } catch (P2pChatException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((v, e) -> hub.onWorker(() -> offerSettled(e)));
    }

    private void offerSettled(Throwable failure) {
        if (state == State.ENDED) {
            return;
        }
        if (failure == null) {
            offerDelivered = true;
            return;
        }
        if (offerDelivered) {
            // A copy offered on a new connection: the receiver had the offer, and this transfer
            // keeps waiting for it (cancel() ends it) whatever became of the copy.
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException c
                && c.getCause() != null ? c.getCause() : failure;
        // Never delivered (unknown peer, refused key, delivery timeout): nothing to resume.
        end(cause instanceof RuntimeException r ? r : new FileTransferException(Reason.IO_ERROR,
                "the offer of " + name + " could not be delivered: " + cause, cause), true);
    }

    /** File thread: a new connection to the friend. A transfer it may have forgotten (it restarted) is offered again. */
    void established() {
        if (offerDelivered && (state == State.OFFERED || state == State.SENDING)
                && (lane == null || !lane.isOpen())) {
            // A receiver that knows the id ignores the copy; one that restarted asks again
            // and resumes from its partial file.
            offer();
        }
    }

    /** File thread: a connection closed; if it was the lane, chunks stop until a new CREDIT. */
    void detached(LinkSession session) {
        if (lane == session) {
            lane = null;
            inTransport = 0;
            redial();
        }
    }

    /**
     * File thread: the lane closed with bytes still to send and nothing else may call the
     * friend again (its outbox is empty): this transfer does, with delays doubling from
     * {@value #FIRST_REDIAL_MILLIS} ms to {@value #MAX_REDIAL_MILLIS} ms while attempts fail.
     */
    private void redial() {
        if (redialNanos != 0 || key == null || !(state == State.SENDING || state == State.OFFERED)) {
            return;
        }
        redialNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(FIRST_REDIAL_MILLIS);
        dial();
    }

    private void dial() {
        if (state == State.ENDED || (lane != null && lane.isOpen())) {
            redialNanos = 0;
            return;
        }
        hub.net().connect(key).whenComplete((v, e) -> hub.onWorker(() -> {
            if (e == null || state == State.ENDED) {
                // Open: the receiver names the lane with a CREDIT, or this offers again.
                redialNanos = 0;
                return;
            }
            long delay = redialNanos;
            redialNanos = Math.min(2 * redialNanos,
                    java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(MAX_REDIAL_MILLIS));
            hub.net().schedule(delay, () -> hub.onWorker(this::dial));
        }));
    }

    /** File thread: ACCEPT: the receiver resumes at {@code offset}. */
    void accepted(long offset) {
        if (state == State.OFFERED) {
            state = State.SENDING;
        }
        confirmed(Math.min(offset, size));
    }

    /**
     * File thread: a CREDIT. On a connection other than the lane it moves the lane there and
     * goes on from where the receiver says; on the lane it only raises the limit.
     *
     * @throws ProtocolException if it names bytes beyond the file
     */
    void credit(LinkSession on, FileFrames.Credit credit) {
        if (credit.limit() > size) {
            throw new ProtocolException("CREDIT up to " + credit.limit() + " of " + name
                    + ", a file of " + size + " bytes");
        }
        if (state == State.ENDED || state == State.HASHING) {
            return;
        }
        state = State.SENDING;
        if (on != lane) {
            lane = on;
            position = credit.next();
            limit = credit.limit();
            inTransport = 0;
        } else {
            limit = Math.max(limit, credit.limit());
        }
        confirmed(credit.next());
        pump();
    }

    private void confirmed(long offset) {
        if (offset > confirmed) {
            confirmed = offset;
        }
        progress.report(key != null ? key : label, confirmed);
    }

    /** File thread: sends chunks while the lane, the credit and the write queue allow. */
    void pump() {
        while (state == State.SENDING && lane != null && lane.isOpen() && position < limit) {
            int max = Math.min(hub.options().chunkBytes(), Math.min(hub.net().maxFrameBytes(),
                    lane.remoteMaxFrameBytes()) - CipherState.TAG_BYTES - FileFrames.CHUNK_HEADER);
            int n = (int) Math.min(max, limit - position);
            if (inTransport + n > hub.options().inTransportBytes()) {
                return;
            }
            ByteBuffer frame = hub.chunkBuffer();
            FileFrames.putChunkHeader(frame, id, position);
            try {
                read(frame, n);
            } catch (IOException e) {
                fail(Reason.IO_ERROR, "cannot read " + path + " at " + position + ": "
                        + e.getMessage());
                return;
            }
            frame.flip();
            LinkSession on = lane;
            position += n;
            inTransport += n;
            hub.sentChunkBytes(n);
            CompletionStage<Void> written;
            try {
                written = on.channel().send(frame);
            } catch (P2pChatException e) {
                written = CompletableFuture.failedFuture(e);
            }
            written.whenComplete((v, e) -> hub.onWorker(() -> written(on, n)));
            // Sealing is the CPU-heavy part of a transfer: between chunks, the threads that
            // carry chat messages get the core first.
            Thread.yield();
        }
    }

    private void read(ByteBuffer frame, int n) throws IOException {
        int end = frame.position() + n;
        frame.limit(end);
        long at = position;
        while (frame.hasRemaining()) {
            int r = file.read(frame, at);
            if (r < 0) {
                throw new IOException("the file is shorter than the " + size
                        + " bytes offered");
            }
            at += r;
        }
    }

    private void written(LinkSession on, int n) {
        if (on == lane) {
            inTransport -= n;
            pump();
        }
    }

    /** File thread: REFUSE from the receiver. */
    void refused(Reason reason, String text) {
        end(new FileRefusedException(reason, label + " refused " + name + " (" + reason + "): "
                + text), true);
    }

    /** File thread: FAIL from the receiver. */
    void failed(Reason reason, String text) {
        String message = label + " could not receive " + name + " (" + reason + "): " + text;
        end(reason == Reason.INTEGRITY ? new FileIntegrityException(message)
                : new FileTransferException(reason, message), true);
    }

    /** File thread: DONE from the receiver: it verified and stored the file. */
    void delivered() {
        if (state == State.ENDED) {
            return;
        }
        confirmed(size);
        close();
        state = State.ENDED;
        hub.ended(this, true);
        done.complete(path);
    }

    /** File thread: ends with a failure of this side, telling the receiver. */
    void fail(Reason reason, String why) {
        if (state == State.ENDED) {
            return;
        }
        if (state != State.HASHING) {
            sendFail(reason, why);
        }
        end(new FileTransferException(reason, "sending " + name + " to " + label + " failed: "
                + why), true);
    }

    private void sendFail(Reason reason, String why) {
        PeerKey k = key;
        byte[] body = FileFrames.fail(id, reason, why);
        try {
            if (k != null) {
                hub.net().send(k, body);
            } else {
                hub.net().send(label, body);
            }
        } catch (P2pChatException e) {
            // Nobody to tell.
        }
    }

    /**
     * File thread: ends the transfer.
     *
     * @param forget whether the journal forgets it; not when the peer closes, so that it is
     *     offered again after a restart
     */
    void end(RuntimeException failure, boolean forget) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        close();
        hub.ended(this, forget);
        done.completeExceptionally(failure);
    }

    private void close() {
        lane = null;
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Read-only: nothing lost.
            }
        }
    }

    @Override
    public String id() {
        return id.toString();
    }

    @Override
    public Direction direction() {
        return Direction.OUTGOING;
    }

    @Override
    public String peer() {
        return label;
    }

    @Override
    public PeerKey peerKey() {
        return key;
    }

    @Override
    public String fileName() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long bytesDone() {
        return confirmed;
    }

    @Override
    public CompletionStage<java.nio.file.Path> completion() {
        return done.minimalCompletionStage();
    }

    @Override
    public void cancel() {
        hub.onWorker(() -> fail(Reason.CANCELLED, "cancelled by " + hub.selfName()));
    }

    @Override
    public String toString() {
        return "sending " + name + " to " + label + " (" + id + ")";
    }
}
