package org.p2pchat.core.internal.noise;

import org.p2pchat.api.ProtocolException;

/**
 * A handshake or transport message failed Noise's checks: it was tampered with, replayed, cut
 * short, or carried a key Noise refuses. The connection it came on must be closed.
 */
public final class NoiseException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     */
    public NoiseException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed
     * @param cause the JDK's exception
     */
    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
