/**
 * The p2pchat public API and transport SPI. Depends on the JDK only.
 *
 * <p>{@code org.p2pchat.api} is what applications use: {@link org.p2pchat.api.Peer},
 * {@link org.p2pchat.api.PeerDirectory} and {@link org.p2pchat.api.MessageListener}.
 * {@code org.p2pchat.spi} is what transports implement; the chat engine finds them with
 * {@link java.util.ServiceLoader}.
 */
module org.p2pchat.api {
    exports org.p2pchat.api;
    exports org.p2pchat.spi;
}
