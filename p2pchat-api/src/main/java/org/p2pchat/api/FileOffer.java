package org.p2pchat.api;

import java.nio.file.Path;

/**
 * A file a peer offers to send this one, as {@link MessageListener#onFileOffer} hands it over.
 * The application accepts it into a directory of its choosing, or refuses it; until it does, the
 * offer counts against the limits on offers waiting ({@code p2pchat.maxIncomingFiles}).
 *
 * <p>Everything here comes from the network and is checked before the listener sees it: the name
 * is a plain file name that cannot leave a directory, and the size is within
 * {@code p2pchat.maxFileBytes}.
 *
 * <p><b>Threading:</b> thread-safe; {@link #accept} and {@link #refuse} may be called on any
 * thread, in the callback or later, and return at once (the checks they make touch only the
 * directory's metadata). Only the first decision counts.
 */
public interface FileOffer {

    /**
     * Returns the transfer's id, as the sender's {@link FileTransfer#id()}.
     *
     * @return the id
     */
    String id();

    /**
     * Returns the name the sender goes by here.
     *
     * @return the name
     */
    String from();

    /**
     * Returns the sender's key.
     *
     * @return the key
     */
    PeerKey fromKey();

    /**
     * Returns the file's name, checked safe (see the class comment).
     *
     * @return the name
     */
    String fileName();

    /**
     * Returns the size the sender announced.
     *
     * @return bytes
     */
    long size();

    /**
     * Returns the SHA-256 the sender announced, which the received bytes must have.
     *
     * @return a copy of the 32 bytes
     */
    byte[] sha256();

    /**
     * Accepts the file into a directory. If the directory holds a partial file of this very file
     * (same name, size and SHA-256, from an earlier transfer cut short), the transfer resumes
     * from it. The partial file is hidden ({@code .<the first 32 hex digits of its SHA-256>.p2pchat-part})
     * until its SHA-256 checks; then it is moved under its name in one step.
     *
     * @param directory where the file goes; created if missing
     * @return the transfer; its stage fails at once with {@link FileRefusedException}
     *     ({@link FileTransferException.Reason#NO_SPACE}) if the directory's free space is less
     *     than the file needs, or with {@link FileTransferException.Reason#IO_ERROR} if the
     *     directory cannot be used, the sender being told either way
     * @throws IllegalStateException if the offer was accepted or refused already, or withdrawn
     */
    FileTransfer accept(Path directory);

    /**
     * Refuses the file: the sender's transfer fails with {@link FileRefusedException}
     * ({@link FileTransferException.Reason#DECLINED}). Does nothing if already decided.
     */
    void refuse();
}
