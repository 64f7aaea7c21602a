package org.p2pchat.spi;

/**
 * Decides what handles a connection a transport has just accepted.
 *
 * <p><b>Threading:</b> called on the transport's event-loop thread; must not block.
 */
@FunctionalInterface
public interface ConnectionAcceptor {

    /**
     * Called once per accepted connection, before any of its frames is read.
     *
     * @param connection the new connection
     * @return the handler for its frames and its close, never null
     */
    ConnectionHandler accepted(Connection connection);
}
