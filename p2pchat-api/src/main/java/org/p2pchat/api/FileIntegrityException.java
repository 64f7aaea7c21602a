package org.p2pchat.api;

/**
 * The bytes a receiver got do not have the SHA-256 the sender offered: the file changed on the
 * sender's disk while it was sent, or something between the file and the sealed connection
 * altered it. The receiver deletes what it received; nothing ever appears under the file's name.
 * Sending the file again starts from its first byte.
 */
public class FileIntegrityException extends FileTransferException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was expected and what arrived
     */
    public FileIntegrityException(String message) {
        super(Reason.INTEGRITY, message);
    }
}
