package org.p2pchat.core.internal.link;

import java.time.Duration;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.TrustStore;

/**
 * What a {@code ChatNode} needs for secure sessions. An immutable value.
 *
 * @param identity this peer's key pair
 * @param trust which key may speak for which name
 * @param handshakeTimeout how long a handshake may take before its connection closes
 * @param maxHandshakes how many accepted connections may be in their handshake at once
 * @param rekeyInterval messages sealed under one key before both sides rekey
 * @param maxConnections how many authenticated connections may be open at once (strangers half)
 * @param handshakeRate new handshakes a second strangers may start, a tenth of it from one source
 */
public record SessionOptions(Identity identity, TrustStore trust, Duration handshakeTimeout,
        int maxHandshakes, long rekeyInterval, int maxConnections, int handshakeRate) {
}
