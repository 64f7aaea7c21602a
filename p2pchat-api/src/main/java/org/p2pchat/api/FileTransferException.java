package org.p2pchat.api;

/**
 * A file transfer ended without the file arriving whole: the stage of
 * {@link FileTransfer#completion()} fails with it, on both sides where both know. {@link #reason()}
 * says what happened; subclasses exist for the two reasons an application most often acts on,
 * {@link FileRefusedException} (the receiver said no) and {@link FileIntegrityException} (the
 * bytes that arrived are not the file that was offered).
 *
 * <p>Immutable and safe to share between threads.
 */
public class FileTransferException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /** Why a transfer ended. Each has a number on the wire (PROTOCOL.md, "Files"). */
    public enum Reason {
        /** The receiver's application refused the offer. */
        DECLINED(1),
        /** The file is larger than the receiver takes ({@code p2pchat.maxFileBytes}). */
        TOO_LARGE(2),
        /** The receiver's target directory has less free space than the file needs. */
        NO_SPACE(3),
        /**
         * The file's name could leave the target directory, or is not a name a file can have
         * everywhere (separators, {@code ..}, control characters, device names such as
         * {@code CON}, empty or longer than 255 bytes).
         */
        BAD_NAME(4),
        /** The receiver has as many offers and transfers under way as it takes. */
        BUSY(5),
        /** The bytes received do not have the SHA-256 that was offered. */
        INTEGRITY(6),
        /** Reading the file (sender) or writing it (receiver) failed. */
        IO_ERROR(7),
        /** One side cancelled the transfer. */
        CANCELLED(8),
        /** The other side broke the file protocol. */
        PROTOCOL(9),
        /** The peer closed (or was closed) before the transfer ended. */
        CLOSED(10);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        /**
         * Returns the number this reason has on the wire.
         *
         * @return 1 to 10
         */
        public int code() {
            return code;
        }

        /**
         * Returns the reason of a wire number; an unknown number is read as {@link #PROTOCOL}.
         *
         * @param code the number
         * @return the reason
         */
        public static Reason ofCode(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return PROTOCOL;
        }
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the transfer ended
     * @param message what happened and, where it helps, what to do
     */
    public FileTransferException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason why the transfer ended
     * @param message what happened and, where it helps, what to do
     * @param cause the underlying failure
     */
    public FileTransferException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the transfer ended.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
