package org.p2pchat.transport.nio.internal;

import org.p2pchat.spi.TransportProvider;
import org.p2pchat.testkit.TransportContractTest;

/** The shared transport contract, run against the {@code nio} transport. */
class NioTransportContractTest extends TransportContractTest {

    @Override
    protected TransportProvider provider() {
        return new NioTransportProvider();
    }
}
