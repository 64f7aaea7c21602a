/**
 * Secure sessions: this peer's key pair, which keys are trusted for which names, and the Noise XX
 * handshake and encryption of every connection. Internal; not exported.
 */
package org.p2pchat.core.internal.session;
