package org.p2pchat.core.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.TransportNotFoundException;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.spi.TransportProvider;

class TransportSelectorTest {

    private record Fake(String name, int priority) implements TransportProvider {
        @Override
        public Transport create(TransportOptions options) {
            throw new UnsupportedOperationException("never created in these tests");
        }
    }

    private static final Fake NIO = new Fake("nio", 100);
    private static final Fake EPOLL = new Fake("epoll", 100);
    private static final Fake QUIC = new Fake("quic", 50);
    private static final Fake LOCAL = new Fake("local", -1);

    @Test
    void withNoProviderTheErrorNamesTheArtifactToAdd() {
        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportSelector.choose(List.of(), null));
        assertTrue(e.getMessage().contains("org.p2pchat:p2pchat-transport-nio"), e.getMessage());
    }

    @Test
    void onlyTheLocalTransportIsNotChosenUnlessNamed() {
        assertThrows(TransportNotFoundException.class,
                () -> TransportSelector.choose(List.of(LOCAL), null));
        assertSame(LOCAL, TransportSelector.choose(List.of(LOCAL), "local"));
    }

    @Test
    void theOnlyNetworkProviderIsChosen() {
        assertSame(NIO, TransportSelector.choose(List.of(LOCAL, NIO), null));
    }

    @Test
    void amongSeveralTheChoiceIsByPriorityThenNameWhateverTheOrderFound() {
        assertSame(NIO, TransportSelector.choose(List.of(QUIC, NIO), null));
        assertSame(EPOLL, TransportSelector.choose(List.of(NIO, QUIC, EPOLL), null));
        assertSame(EPOLL, TransportSelector.choose(List.of(EPOLL, NIO), null));
    }

    @Test
    void aRequestedNameWinsOverPriority() {
        assertSame(QUIC, TransportSelector.choose(List.of(NIO, QUIC), "quic"));
        assertSame(QUIC, TransportSelector.choose(List.of(NIO, QUIC), " quic "));
    }

    @Test
    void aRequestedNameThatIsMissingIsReportedWithWhatWasFound() {
        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportSelector.choose(List.of(LOCAL), "nio"));
        assertTrue(e.getMessage().contains("found [local]"), e.getMessage());
        assertTrue(e.getMessage().contains("p2pchat-transport-nio"), e.getMessage());
    }

    @Test
    void serviceLoaderFindsTheLocalProviderShippedInCore() {
        assertEquals("local", TransportSelector.discover("local").name());
    }
}
