package org.p2pchat.core;

import org.p2pchat.api.PeerAddress;

class LocalDirectMessagesTest extends DirectMessagesContract {
    @Override
    protected String transportName() {
        return "local";
    }

    @Override
    protected PeerAddress deadAddress() {
        return PeerAddress.loopback(65_000);
    }
}
