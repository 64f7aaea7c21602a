package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message received from another peer. An immutable value handed to
 * {@link MessageListener#onMessage}.
 *
 * @param from the name of the peer that sent it, as that peer introduced itself
 * @param text the message text
 * @param receivedAt when this peer received it, by this peer's clock
 */
public record ChatMessage(String from, String text, Instant receivedAt) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if any component is null
     */
    public ChatMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
