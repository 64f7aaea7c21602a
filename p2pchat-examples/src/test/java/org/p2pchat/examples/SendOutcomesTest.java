package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerUnreachableException;

class SendOutcomesTest {
    private static final PeerAddress BOB = PeerAddress.parse("127.0.0.1:7002");
    private static final String WAITS = "; messages to bob wait and are retried until the delivery"
            + " timeout";

    @Test
    void theWaitNoticeSaysWhyWhenAnAttemptHasFailed() {
        assertEquals("* bob is not reachable yet" + WAITS,
                SendOutcomes.waitingLine("bob", BOB, false, null));
        assertEquals("* bob is not reachable yet (connection refused at 127.0.0.1:7002)" + WAITS,
                SendOutcomes.waitingLine("bob", BOB, false, new ConnectFailedException("cannot"
                        + " connect", new ConnectException("Connection refused"))));
        assertEquals("* bob answers but the session fails (handshake with 127.0.0.1:7002 did not"
                + " complete within PT5S)" + WAITS, SendOutcomes.waitingLine("bob", BOB, false,
                        new PeerUnreachableException("handshake with 127.0.0.1:7002 did not"
                                + " complete within PT5S")));
    }

    @Test
    void aConnectedFriendThatHasNotConfirmedIsToldApart() {
        assertEquals("* bob has not confirmed your message yet; it waits until the delivery"
                + " timeout", SendOutcomes.waitingLine("bob", BOB, true, null));
    }
}
