package org.p2pchat.core.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
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

/**
 * The receiving side of one accepted transfer: it writes the chunks that arrive on its lane, in
 * order, to a hidden partial file in the target directory, grants the sender credit as it writes,
 * and once every byte is there forces the file to disk, checks its SHA-256, and moves it under
 * its name in one step. A partial file of the same content found at the start (an earlier
 * transfer cut short) is kept: the transfer resumes after its last byte.
 *
 * <p>Threading: the lane, the bytes received and the credit are guarded by this object's lock
 * (the event loop checks each chunk against them before copying it); the file, the digest and
 * what is written belong to the file thread.
 */
final class IncomingTransfer implements FileTransfer {
    private final FileTransfers hub;
    final TransferId id;
    final PeerKey key;
    final String label;
    final FileFrames.Offer offer;
    final Path directory;
    final Path partial;
    private final CompletableFuture<Path> done = new CompletableFuture<>();
    private final Progress progress;
    private volatile long bytesDone;

    // Guarded by this.
    private LinkSession lane;
    private long received;
    private long limit;
    private boolean receiving;

    // The file thread's.
    private FileChannel out;
    private MessageDigest digest;
    private long written;
    private long synced;
    private boolean ended;

    IncomingTransfer(FileTransfers hub, PeerKey key, String label, FileFrames.Offer offer,
            Path directory) {
        this.hub = hub;
        this.id = offer.id();
        this.key = key;
        this.label = label;
        this.offer = offer;
        this.directory = directory.toAbsolutePath().normalize();
        this.partial = FileNames.inside(this.directory, partialName(offer.sha256()));
        this.progress = new Progress(hub.net(), this);
    }

    /** The hidden name a file's partial copy goes by: by its content, so a new offer of it finds it. */
    static String partialName(byte[] sha256) {
        return "." + Sha256.hex(sha256).substring(0, 32) + ".p2pchat-part";
    }

    /**
     * File thread: makes the directory, checks its free space, opens the partial file (hashing
     * what it already holds), tells the sender where to start, and grants the first credit.
     */
    void open(LinkSession current) {
        long have;
        try {
            Files.createDirectories(directory);
            long existing = Files.isRegularFile(partial) ? Files.size(partial) : 0;
            if (existing > offer.size()) {
                existing = 0;
            }
            long free = Files.getFileStore(directory).getUsableSpace();
            if (free < offer.size() - existing) {
                refuse(Reason.NO_SPACE, offer.size() - existing + " bytes needed, " + free
                        + " free in the receiver's directory");
                return;
            }
            out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            out.truncate(existing);
            digest = Sha256.digest();
            Sha256.update(digest, out, existing);
            have = existing;
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            refuse(Reason.IO_ERROR, "cannot write to the receiver's directory: " + e);
            return;
        }
        written = have;
        synced = have;
        bytesDone = have;
        hub.send(key, FileFrames.accept(id, have));
        if (have == offer.size()) {
            finish();
            return;
        }
        synchronized (this) {
            received = have;
            receiving = true;
        }
        relane(current);
    }

    private void refuse(Reason reason, String why) {
        hub.send(key, FileFrames.refuse(id, reason, why));
        end(new FileRefusedException(reason, "cannot accept " + offer.name() + " from " + label
                + ": " + why));
    }

    /**
     * Event loop: checks a CHUNK and copies its data, or returns null if it is a stale one (a
     * lane this transfer left, or a transfer that ended).
     *
     * @throws ProtocolException if it is not where the receiver asked, beyond the file, or
     *     beyond the credit
     */
    ByteBuffer chunk(LinkSession on, long offset, ByteBuffer data) {
        int n = data.remaining();
        synchronized (this) {
            if (!receiving || on != lane) {
                return null;
            }
            String wrong = offset != received ? "at offset " + offset + " where " + received
                    + " was next"
                    : offset + n > offer.size() ? "beyond the " + offer.size() + " bytes offered"
                    : offset + n > limit ? "beyond the credit granted, up to " + limit : null;
            if (wrong != null) {
                receiving = false;
                hub.onWorker(() -> failHere(Reason.PROTOCOL, "a chunk came " + wrong));
                throw new ProtocolException(label + " sent a chunk of " + offer.name() + " "
                        + wrong);
            }
            received += n;
        }
        ByteBuffer copy = hub.buffers().take(n);
        copy.put(data).flip();
        return copy;
    }

    /** File thread: writes a checked chunk, grants more credit, and finishes after the last. */
    void write(long offset, ByteBuffer data) {
        try {
            writeChunk(offset, data);
        } finally {
            hub.buffers().give(data);
        }
    }

    private void writeChunk(long offset, ByteBuffer data) {
        if (ended) {
            return;
        }
        int n = data.remaining();
        try {
            long at = offset;
            while (data.hasRemaining()) {
                at += out.write(data, at);
            }
            digest.update(data.flip());
            written = offset + n;
            if (written - synced >= hub.options().syncBytes()) {
                // Resuming after a crash starts from what the disk holds, so keep it close.
                out.force(false);
                synced = written;
            }
        } catch (IOException e) {
            failHere(Reason.IO_ERROR, "cannot write " + partial + ": " + e.getMessage());
            return;
        }
        bytesDone = written;
        progress.report(key, written);
        if (written == offer.size()) {
            finish();
            return;
        }
        grant(false);
    }

    /** File thread: grants credit on the lane when half of it is used, or always if asked. */
    private void grant(boolean always) {
        LinkSession on;
        ByteBuffer frame;
        synchronized (this) {
            if (!receiving || lane == null) {
                return;
            }
            long next = Math.min(offer.size(), written + hub.options().creditBytes());
            if (!always && limit - written > hub.options().creditBytes() / 2) {
                return;
            }
            limit = Math.max(received, next);
            on = lane;
            frame = FileFrames.credit(id, received, limit);
            try {
                on.channel().write(frame);
            } catch (P2pChatException e) {
                // The lane is closing; the next connection gets a CREDIT of its own.
            }
        }
    }

    /** File thread: a connection to the sender is open; if the lane is gone it becomes the lane. */
    void relane(LinkSession session) {
        if (session == null || ended) {
            return;
        }
        synchronized (this) {
            if (!receiving || (lane != null && lane.isOpen())) {
                return;
            }
            lane = session;
        }
        grant(true);
    }

    /** File thread: a connection closed; another open one, if any, takes over as the lane. */
    void detached(LinkSession session, LinkSession replacement) {
        synchronized (this) {
            if (lane != session) {
                return;
            }
            lane = null;
        }
        relane(replacement);
    }

    /** File thread: every byte is written: force, verify, move under the name, tell the sender. */
    private void finish() {
        synchronized (this) {
            receiving = false;
        }
        byte[] got = digest.digest();
        if (!Arrays.equals(got, offer.sha256())) {
            closeQuietly();
            deletePartial();
            hub.send(key, FileFrames.fail(id, Reason.INTEGRITY, "the bytes received have"
                    + " SHA-256 " + Sha256.hex(got)));
            end(new FileIntegrityException(offer.name() + " from " + label + " arrived with"
                    + " SHA-256 " + Sha256.hex(got) + ", not the " + Sha256.hex(offer.sha256())
                    + " offered; it was deleted"));
            return;
        }
        Path target;
        try {
            out.force(true);
            out.close();
            target = freeName();
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
        } catch (IOException e) {
            failHere(Reason.IO_ERROR, "cannot store " + offer.name() + ": " + e.getMessage());
            return;
        }
        hub.send(key, FileFrames.done(id));
        ended = true;
        hub.ended(this);
        done.complete(target);
    }

    /** The name itself if nothing has it, else {@code name (1).ext} and so on. */
    private Path freeName() throws IOException {
        String name = offer.name();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Path p = FileNames.inside(directory, name);
        for (int i = 1; Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            if (i > 999) {
                throw new IOException("a thousand files named like " + name + " exist already");
            }
            p = FileNames.inside(directory, stem + " (" + i + ")" + ext);
        }
        return p;
    }

    /** File thread: ends with a failure found here, telling the sender; the partial goes. */
    void failHere(Reason reason, String why) {
        if (ended) {
            return;
        }
        hub.send(key, FileFrames.fail(id, reason, why));
        closeQuietly();
        deletePartial();
        end(new FileTransferException(reason, "receiving " + offer.name() + " from " + label
                + " failed: " + why));
    }

    /** File thread: the sender cancelled or failed. */
    void failedThere(Reason reason, String text) {
        closeQuietly();
        if (reason != Reason.CLOSED) {
            deletePartial();
        }
        end(new FileTransferException(reason, label + " ended the transfer of " + offer.name()
                + " (" + reason + "): " + text));
    }

    /**
     * File thread: ends without a word to the sender (the peer closes, or a new offer of the
     * same file takes over); the partial file stays for a transfer that resumes it.
     */
    void abandon(FileTransferException why) {
        closeQuietly();
        end(why);
    }

    private void end(RuntimeException failure) {
        if (ended) {
            return;
        }
        ended = true;
        synchronized (this) {
            receiving = false;
            lane = null;
        }
        hub.ended(this);
        done.completeExceptionally(failure);
    }

    private void deletePartial() {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // A leftover hidden file; a new offer of the same file would resume it.
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // Closing after a failure: nothing more to lose.
            }
        }
    }

    @Override
    public String id() {
        return id.toString();
    }

    @Override
    public Direction direction() {
        return Direction.INCOMING;
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
        return offer.name();
    }

    @Override
    public long size() {
        return offer.size();
    }

    @Override
    public long bytesDone() {
        return bytesDone;
    }

    @Override
    public CompletionStage<Path> completion() {
        return done.minimalCompletionStage();
    }

    @Override
    public void cancel() {
        hub.onWorker(() -> failHere(Reason.CANCELLED, "cancelled by " + hub.selfName()));
    }

    @Override
    public String toString() {
        return "receiving " + offer.name() + " from " + label + " (" + id + ")";
    }
}
