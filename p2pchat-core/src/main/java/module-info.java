/**
 * The p2pchat chat engine: {@link org.p2pchat.core.P2pChat} builds and starts peers,
 * {@link org.p2pchat.core.UserInfo} reads user_info tables. Transports are found with
 * {@link java.util.ServiceLoader}; the in-JVM {@code local} transport ships here.
 */
module org.p2pchat.core {
    requires transitive org.p2pchat.api;
    requires org.slf4j;
    // The Flight Recorder events of org.p2pchat.core.internal.observe; part of the JDK.
    requires jdk.jfr;

    exports org.p2pchat.core;

    uses org.p2pchat.spi.TransportProvider;
    uses org.p2pchat.spi.MessageStoreProvider;
    provides org.p2pchat.spi.MessageStoreProvider
            with org.p2pchat.core.internal.store.MemoryStoreProvider;
    provides org.p2pchat.spi.TransportProvider
            with org.p2pchat.core.internal.local.LocalTransportProvider;
}
