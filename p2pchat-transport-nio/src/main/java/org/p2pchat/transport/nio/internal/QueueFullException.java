package org.p2pchat.transport.nio.internal;

import org.p2pchat.api.WriteQueueFullException;

/**
 * A {@link WriteQueueFullException} without a stack trace and with a message made once per
 * queue.
 *
 * <p>A full queue is flow control, not a bug: a sender that outpaces its reader may meet it
 * thousands of times a second, and filling in a stack trace each time would cost more than the
 * write it refuses. Where the refusal happened is always the caller's own {@code write} call.
 *
 * <p><b>Threading:</b> created and thrown on the thread that called {@code write} or
 * {@code send}; immutable.
 */
final class QueueFullException extends WriteQueueFullException {
    private static final long serialVersionUID = 1L;

    QueueFullException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
