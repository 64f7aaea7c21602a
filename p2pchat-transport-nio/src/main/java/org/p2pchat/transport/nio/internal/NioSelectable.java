package org.p2pchat.transport.nio.internal;

import java.nio.channels.SelectionKey;

/**
 * What a selection key is attached to: a listener, a connect in progress, or a connection.
 *
 * <p><b>Threading:</b> called on the event-loop thread only, for keys the selector found ready.
 */
interface NioSelectable {

    /**
     * Handles readiness; must not throw for I/O failures (it closes what failed instead).
     *
     * @param key the ready key, valid
     * @param now the transport ticker's time for this loop iteration
     */
    void ready(SelectionKey key, long now);
}
