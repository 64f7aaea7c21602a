package org.p2pchat.api;

/**
 * The receiver refused a file offer, before any byte of it was sent: its application declined,
 * or its limits did ({@link Reason#TOO_LARGE}, {@link Reason#NO_SPACE}, {@link Reason#BAD_NAME},
 * {@link Reason#BUSY}). The message carries the receiver's own words where it sent some.
 */
public class FileRefusedException extends FileTransferException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason why the offer was refused
     * @param message what happened and what to do
     */
    public FileRefusedException(Reason reason, String message) {
        super(reason, message);
    }
}
