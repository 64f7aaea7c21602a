package org.p2pchat.core.internal.local;

import org.p2pchat.spi.TransportProvider;
import org.p2pchat.testkit.TransportContractTest;

class LocalTransportContractTest extends TransportContractTest {
    @Override
    protected TransportProvider provider() {
        return new LocalTransportProvider();
    }
}
