package org.p2pchat.core;

import java.nio.ByteBuffer;
import org.p2pchat.spi.Connection;

/**
 * A connection of a {@link DroppingTransport}: writes go to the inner connection unless the
 * provider's armed rule claims them. Thread-safe, as the inner connection is; never blocks.
 */
final class DroppingConnection extends LossyConnection {
    private final DroppingTransport faults;
    private final int maxFrameBytes;

    DroppingConnection(Connection inner, DroppingTransport faults, int maxFrameBytes) {
        super(inner);
        this.faults = faults;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Consumes a dropped frame as a written one would be, so the writer cannot tell. */
    @Override
    boolean lost(ByteBuffer frame) {
        // A frame the inner connection would refuse must fail as usual, not vanish.
        if (!inner.isOpen() || frame.remaining() > maxFrameBytes || !faults.claimDrop(frame)) {
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "Dropping[" + inner + "]";
    }
}
