/**
 * The Noise protocol framework, {@code Noise_XX_25519_ChaChaPoly_SHA256} only, over the JDK's own
 * crypto ({@code XDH}, {@code ChaCha20-Poly1305}, {@code HmacSHA256}, {@code SHA-256}): no
 * crypto dependency. Follows the Noise specification, revision 34; names match its sections
 * (CipherState, SymmetricState, HandshakeState). Instances are not thread-safe: each belongs to
 * one connection.
 */
package org.p2pchat.core.internal.noise;
