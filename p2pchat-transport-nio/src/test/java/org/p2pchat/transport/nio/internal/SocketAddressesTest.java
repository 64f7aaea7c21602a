package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which hosts are resolved on the caller's thread: only those that never reach DNS. */
class SocketAddressesTest {

    @Test
    void dottedQuadsAndIpv6LiteralsAreLiterals() {
        for (String host : new String[] {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.07",
                "::1", "fe80::1%lo", "2001:db8::5"}) {
            assertTrue(SocketAddresses.isLiteral(host), host);
        }
    }

    @Test
    void numericLookingHostsThatTheJdkWouldLookUpAreNames() {
        // Each of these makes new InetSocketAddress(host, port) query the resolver: on the
        // caller's thread they could block it for the resolver's timeout.
        for (String host : new String[] {"999.1.1.1", "1.2.3.4.", "300.300.300.300", "1.2.3",
                "1..2.3", "1.2.3.4.5", "0001.2.3.4", "", "localhost", "example.org"}) {
            assertFalse(SocketAddresses.isLiteral(host), host);
        }
    }
}
