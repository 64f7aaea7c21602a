package org.p2pchat.api;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * One file on its way between two peers: what {@link Peer#sendFile} returns to the sender and
 * {@link FileOffer#accept} to the receiver.
 *
 * <p><b>Threading:</b> thread-safe; every method returns at once. The stage completes on a
 * p2pchat thread (the network loop or the peer's file thread): keep dependent actions short or
 * use the {@code ...Async} variants. Progress is reported to the {@link MessageListener}
 * ({@link MessageListener#onFileProgress}), on the listener's thread.
 *
 * <p><b>Guarantee:</b> the stage completes exactly once. On success the receiver holds the
 * whole file under its name (or a free variant of it, {@code name (1).ext}) in the directory it
 * chose, with the SHA-256 offered; it never appears under that name before. A transfer cut by a
 * lost connection resumes on the next one from the last offset the receiver confirmed.
 */
public interface FileTransfer {

    /** Which side of the transfer this handle is. */
    enum Direction {
        /** This peer sends the file. */
        OUTGOING,
        /** This peer receives the file. */
        INCOMING
    }

    /**
     * Returns the transfer's id, the same on both sides: 22 characters of unpadded base64url.
     *
     * @return the id
     */
    String id();

    /**
     * Returns which side this peer is.
     *
     * @return the direction
     */
    Direction direction();

    /**
     * Returns the name the other peer goes by here.
     *
     * @return the name
     */
    String peer();

    /**
     * Returns the other peer's key.
     *
     * @return the key
     */
    PeerKey peerKey();

    /**
     * Returns the file's name, without any directory.
     *
     * @return the name
     */
    String fileName();

    /**
     * Returns the file's size in bytes.
     *
     * @return the size
     */
    long size();

    /**
     * Returns how many bytes are done: for the receiver, written to its partial file; for the
     * sender, confirmed by the receiver.
     *
     * @return 0 to {@link #size()}
     */
    long bytesDone();

    /**
     * Returns the stage of the whole transfer.
     *
     * @return completes, for the sender with the file sent and for the receiver with where the
     *     file now is, once the receiver has checked its SHA-256 and moved it under its name;
     *     fails with {@link FileRefusedException}, {@link FileIntegrityException}, another
     *     {@link FileTransferException}, or, for an offer that could not be delivered, the
     *     exception a {@link Peer#send} would fail with
     */
    CompletionStage<Path> completion();

    /**
     * Cancels the transfer: both sides' stages fail with {@link FileTransferException.Reason#CANCELLED},
     * and the receiver deletes its partial file. Does nothing once the transfer has ended.
     */
    void cancel();
}
