/**
 * The transport SPI: how the chat engine moves whole frames without knowing how.
 *
 * <p>A transport is found with {@link java.util.ServiceLoader} as a {@link
 * org.p2pchat.spi.TransportProvider} and creates {@link org.p2pchat.spi.Transport}s. A transport
 * listens, connects, and moves opaque frames over {@link org.p2pchat.spi.Connection}s: whole, in
 * order, each at most {@link org.p2pchat.spi.TransportOptions#maxFrameBytes()} long. It knows
 * nothing of peers, names or messages. It reports what happens on a connection to that
 * connection's {@link org.p2pchat.spi.ConnectionHandler}, on its own event-loop thread.
 *
 * <p>Every transport passes the same contract test ({@code TransportContractTest} in this
 * module's test-jar).
 */
package org.p2pchat.spi;
