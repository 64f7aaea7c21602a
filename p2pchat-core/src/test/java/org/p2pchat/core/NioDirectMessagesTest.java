package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.node.TransportSelector;

/** Direct messages over the NIO transport on 127.0.0.1, found through ServiceLoader. */
class NioDirectMessagesTest extends DirectMessagesContract {
    @Override
    protected String transportName() {
        return "nio";
    }

    @Override
    protected PeerAddress deadAddress() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return PeerAddress.loopback(s.getLocalPort());
        }
    }

    @Test
    void withNioOnThePathDiscoveryChoosesItOverLocal() {
        assertEquals("nio", TransportSelector.discover(null).name());
    }
}
