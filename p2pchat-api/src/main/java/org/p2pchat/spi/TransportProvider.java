package org.p2pchat.spi;

/**
 * Creates transports of one kind. Found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code module-info.java} ({@code provides}) and in
 * {@code META-INF/services/org.p2pchat.spi.TransportProvider}.
 *
 * <p>When several providers are present and none is named by the {@code p2pchat.transport}
 * setting, the chat engine picks the highest {@link #priority()}, then the first name in
 * alphabetical order, and logs its choice. A provider with a negative priority is used only when
 * named. Implementations must be stateless and thread-safe, with a public no-argument constructor.
 */
public interface TransportProvider {

    /**
     * Returns the short name that the {@code p2pchat.transport} setting selects this provider by.
     *
     * @return a lower-case name such as {@code nio} or {@code local}
     */
    String name();

    /**
     * Returns how strongly this provider wants to be the default choice.
     *
     * @return a higher number for a stronger claim; negative means "only when named"
     */
    int priority();

    /**
     * Creates a transport. It is ready to listen and connect when this method returns; its
     * event-loop thread, if it has one, is started lazily or here.
     *
     * @param options limits and timeouts the transport must enforce
     * @return a new transport, owned by the caller, who must close it
     */
    Transport create(TransportOptions options);
}
