package org.p2pchat.benchmarks;

/**
 * Two endpoints, A and B, connected over one transport, that the benchmark drives from A's
 * side. Created for one of two patterns: B counts what it receives (one-way throughput) or B
 * echoes each message back to A (round trip). Used by one benchmark thread at a time.
 */
interface DirectLink extends AutoCloseable {

    /** The name of the baseline: plain SocketChannels, no library. */
    String RAW = "raw";
    /** The encrypted baseline: the same, each frame sealed with ChaCha20-Poly1305 by javax.crypto. */
    String RAW_SEALED = "rawSealed";
    /** A comparison library: JeroMQ PUSH/PULL and REQ/REP, plaintext, unacknowledged. */
    String JEROMQ = "jeromq";
    /** A comparison library: Netty 4.1 over NIO event loops, plaintext, unacknowledged. */
    String NETTY = "netty";

    /**
     * Sends messages from A to B and returns once B has received all of them. Respects
     * backpressure: never more than a bounded window of messages is outstanding.
     *
     * @param messages how many to send
     * @throws IllegalStateException if the link is in echo mode, or B stops receiving
     */
    void sendAll(int messages);

    /**
     * Sends one message from A to B and returns once B's echo of it has reached A.
     *
     * @throws IllegalStateException if the link is not in echo mode, or the echo never comes
     */
    void roundTrip();

    /** Closes both endpoints and stops every thread the link started. */
    @Override
    void close();

    /**
     * Opens a link, connected and warmed by one message, so the first measured call does not
     * pay for the connection.
     *
     * @param transport {@value #RAW}, {@value #RAW_SEALED}, {@value #JEROMQ}, {@value #NETTY}, or
     *     a p2pchat transport provider name ({@code nio}, {@code local})
     * @param payloadBytes the size of each message's text, in bytes of ASCII
     * @param echo true for round trips (B echoes), false for one-way sends (B counts)
     * @return the open link; close it
     */
    static DirectLink open(String transport, int payloadBytes, boolean echo) {
        String text = Payloads.asciiText(payloadBytes);
        return switch (transport) {
            case RAW -> RawLink.open(text, echo, false);
            case RAW_SEALED -> RawLink.open(text, echo, true);
            case JEROMQ -> JeroMqLink.open(text, echo);
            case NETTY -> NettyLink.open(text, echo);
            default -> PeerLink.open(transport, text, echo);
        };
    }
}
