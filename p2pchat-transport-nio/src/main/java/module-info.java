/**
 * The {@code nio} transport: one {@link java.nio.channels.Selector} event-loop thread per
 * transport multiplexes every socket, moving length-prefixed frames over TCP.
 *
 * <p>Nothing is exported: applications and the chat engine reach the transport only through
 * {@link org.p2pchat.spi.TransportProvider}, found with {@link java.util.ServiceLoader}.
 */
module org.p2pchat.transport.nio {
    requires org.p2pchat.api;
    requires org.slf4j;

    provides org.p2pchat.spi.TransportProvider
            with org.p2pchat.transport.nio.internal.NioTransportProvider;
}
