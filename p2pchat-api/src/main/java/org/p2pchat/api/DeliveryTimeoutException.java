package org.p2pchat.api;

/**
 * A message was not acknowledged by its recipient within the delivery timeout
 * ({@code p2pchat.deliveryTimeout}): the friend was offline, unreachable, or not reading. The
 * message is dropped from the outbox and never sent again. The cause, when there is one, is the
 * last reason a connection could not be opened or was lost.
 *
 * <p>If {@link #transmitted()} is false, the message never left this peer, so the friend has not
 * received it. If it is true, the message was written to a connection at least once and the
 * acknowledgement did not come back in time: the friend may have received it.
 */
public class DeliveryTimeoutException extends PeerUnreachableException {
    private static final long serialVersionUID = 1L;

    private final boolean transmitted;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param transmitted whether the message was written to a connection at least once
     * @param cause the last connection failure, or null
     */
    public DeliveryTimeoutException(String message, boolean transmitted, Throwable cause) {
        super(message, cause);
        this.transmitted = transmitted;
    }

    /**
     * Tells whether the message was written to a connection before the timeout, in which case the
     * friend may have received it even though no acknowledgement arrived.
     *
     * @return true if it was transmitted at least once
     */
    public boolean transmitted() {
        return transmitted;
    }
}
