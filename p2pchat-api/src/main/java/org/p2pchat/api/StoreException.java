package org.p2pchat.api;


/**
 * A {@link org.p2pchat.spi.MessageStore} could not read or write: a disk error, a full disk, a database it cannot
 * open or migrate. The message says which file and what to do.
 */
public class StoreException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
