package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.spi.ReceiveRecord;

/**
 * What an {@link Inflow} does across restarts: messages a restarted sender sends again (kind 3,
 * with their first numbering) are delivered once; a restarted receiver resumes where its
 * ledger says; and acknowledgements cover only what the store has recorded.
 */
class InflowRestartTest {
    private static final long WINDOW = 1 << 20;
    private static final PeerKey PEER = PeerKey.of(new byte[32]);

    /** What the delivery saw: text, first epoch, first number, number it came with. */
    private record Seen(String text, long firstEpoch, long firstSeq, long seq) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final ReceiveLedger ledger = new ReceiveLedger(null, List.of());
    private Inflow inflow = new Inflow("alice", WINDOW, new MemoryBudget(1L << 30), false, ledger);
    private boolean recordAtOnce = true;
    private final Inflow.Delivery delivery = TestDeliveries.of(() -> inflow, (text, firstEpoch, firstSeq, seq, units) -> {
        seen.add(new Seen(text, firstEpoch, firstSeq, seq));
        if (recordAtOnce) {
            inflow.recorded(inflow.currentEpoch(), seq);
        }
    });

    /** A DATA frame of messages of one kind, after its type byte. */
    private static ByteBuffer data(long first, long floor, byte kind, byte[]... bodies) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        MessageFrames.putDataHeader(b, first, floor);
        for (byte[] body : bodies) {
            MessageFrames.putMessage(b, kind, body);
        }
        b.flip();
        assertEquals(MessageFrames.DATA, b.get());
        return b;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] again(long epoch, long seq, String s) {
        return MessageFrames.textAgain(epoch, seq, text(s));
    }

    private static FakeLinkSessions.Link connected(Inflow inflow, long epoch) {
        FakeLinkSessions.Link link = FakeLinkSessions.open(epoch, epoch);
        inflow.epoch(epoch, PEER);
        inflow.acknowledge(link.session);
        link.newAcks();
        return link;
    }

    @Test
    void messagesSentAgainByARestartedSenderAreDeliveredOnceWithTheirFirstNumbers() {
        FakeLinkSessions.Link first = connected(inflow, 100);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT, text("one"), text("two"), text("three")),
                first.session, delivery);
        // The sender restarts: its new process sends again 2 and 3 (never acknowledged), then 4.
        FakeLinkSessions.Link second = connected(inflow, 200);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT_AGAIN, again(100, 2, "two"),
                again(100, 3, "three"), again(100, 4, "four")), second.session, delivery);
        inflow.receive(data(4, 1, MessageFrames.KIND_TEXT, text("five")), second.session,
                delivery);
        assertEquals(List.of(new Seen("one", 100, 1, 1), new Seen("two", 100, 2, 2),
                new Seen("three", 100, 3, 3), new Seen("four", 100, 4, 3),
                new Seen("five", 200, 4, 4)), seen);
        inflow.acknowledge(second.session);
        assertEquals(4, second.onlyNewAck()[0], "the copies are acknowledged too");
        assertEquals(4, ledger.deliveredUpTo(PEER, 100));
    }

    @Test
    void aMessageSentAgainTwiceByTwoRestartsIsDeliveredOnce() {
        FakeLinkSessions.Link second = connected(inflow, 200);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT_AGAIN, again(100, 7, "seven")),
                second.session, delivery);
        FakeLinkSessions.Link third = connected(inflow, 300);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT_AGAIN, again(100, 7, "seven"),
                again(100, 8, "eight")), third.session, delivery);
        assertEquals(List.of("seven", "eight"), seen.stream().map(Seen::text).toList());
    }

    @Test
    void copiesWhoseHandingOnThrowsAreTakenAsNewWhenSentAgain() {
        connected(inflow, 100);
        FakeLinkSessions.Link second = connected(inflow, 200);
        boolean[] fail = {true};
        Inflow.Delivery failing = TestDeliveries.of(() -> inflow,
                (text, firstEpoch, firstSeq, seq, units) -> {
                    if (fail[0]) {
                        throw new IllegalStateException("the store threw (test)");
                    }
                    seen.add(new Seen(text, firstEpoch, firstSeq, seq));
                    inflow.recorded(inflow.currentEpoch(), seq);
                });
        ByteBuffer frame = data(1, 1, MessageFrames.KIND_TEXT_AGAIN, again(100, 1, "one"),
                again(100, 2, "two"));
        assertThrows(IllegalStateException.class,
                () -> inflow.receive(frame.duplicate(), second.session, failing));
        assertEquals(0, ledger.deliveredUpTo(PEER, 100), "nothing of it was delivered");

        fail[0] = false;
        inflow.receive(frame.duplicate(), second.session, failing);
        assertEquals(List.of(new Seen("one", 100, 1, 1), new Seen("two", 100, 2, 2)), seen);
        assertEquals(2, ledger.deliveredUpTo(PEER, 100));
    }

    @Test
    void aCopySentTwiceInOneFrameIsDeliveredOnce() {
        FakeLinkSessions.Link second = connected(inflow, 200);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT_AGAIN, again(100, 7, "seven"),
                again(100, 7, "seven"), again(100, 8, "eight")), second.session, delivery);
        assertEquals(List.of("seven", "eight"), seen.stream().map(Seen::text).toList());
        inflow.acknowledge(second.session);
        assertEquals(3, second.onlyNewAck()[0], "the copy is acknowledged with the others");
    }

    @Test
    void aRestartedReceiverResumesTheNumberingItsStoreRecorded() {
        ReceiveLedger stored = new ReceiveLedger(null, List.of(new ReceiveRecord(PEER, 100, 5)));
        inflow = new Inflow("alice", WINDOW, new MemoryBudget(1L << 30), false, stored);
        FakeLinkSessions.Link link = connected(inflow, 100);
        // The sender never had 4 and 5 acknowledged: it sends them again with 6 and 7.
        inflow.receive(data(4, 4, MessageFrames.KIND_TEXT, text("4"), text("5"), text("6"),
                text("7")), link.session, delivery);
        assertEquals(List.of("6", "7"), seen.stream().map(Seen::text).toList());
    }

    @Test
    void anAcknowledgementCoversOnlyWhatTheStoreHasRecorded() {
        recordAtOnce = false;
        FakeLinkSessions.Link link = connected(inflow, 100);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT, text("a"), text("b"), text("c")),
                link.session, delivery);
        inflow.acknowledge(link.session);
        assertEquals(0, link.onlyNewAck()[0], "nothing recorded yet");
        inflow.recorded(100, 1);
        inflow.recorded(100, 2);
        assertEquals(List.of(), link.newAcks(), "no ACK while one handed on waits");
        inflow.recorded(100, 3);
        assertEquals(3, link.onlyNewAck()[0], "the last record sends the ACK");
    }

    @Test
    void sixtyFourRecordedMessagesAreAcknowledgedWithoutWaitingForTheRest() {
        recordAtOnce = false;
        FakeLinkSessions.Link link = connected(inflow, 100);
        byte[][] bodies = new byte[Inflow.ACK_EVERY + 10][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = text("m" + i);
        }
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT, bodies), link.session, delivery);
        for (int i = 1; i < Inflow.ACK_EVERY; i++) {
            inflow.recorded(100, i);
        }
        assertEquals(List.of(), link.newAcks());
        inflow.recorded(100, Inflow.ACK_EVERY);
        assertEquals(Inflow.ACK_EVERY, link.onlyNewAck()[0]);
    }

    @Test
    void aRecordOfTheOldProcessArrivingAfterARestartMovesNothing() {
        recordAtOnce = false;
        FakeLinkSessions.Link first = connected(inflow, 100);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT, text("a")), first.session, delivery);
        FakeLinkSessions.Link second = connected(inflow, 200);
        inflow.recorded(100, 1);
        inflow.acknowledge(second.session);
        assertEquals(0, second.onlyNewAck()[0]);
    }

    @Test
    void aMessageSentAgainWithoutItsFirstNumberingClosesTheConnection() {
        FakeLinkSessions.Link link = connected(inflow, 100);
        assertThrows(ProtocolException.class, () -> inflow.receive(
                data(1, 1, MessageFrames.KIND_TEXT_AGAIN, new byte[5]), link.session, delivery));
        byte[] zero = MessageFrames.textAgain(100, 1, text("x"));
        zero[8] = 0;
        ProtocolException e = assertThrows(ProtocolException.class, () -> inflow.receive(
                data(1, 1, MessageFrames.KIND_TEXT_AGAIN, zero), link.session, delivery));
        assertTrue(e.getMessage().contains("first number 0"), e.getMessage());
        assertEquals(List.of(), seen);
    }

    @Test
    void aCopyIsAcknowledgedOnlyOnceTheRecordsBeforeItAreWritten() {
        recordAtOnce = false;
        List<Long> copies = new ArrayList<>();
        Inflow.Delivery slow = new Inflow.Delivery() {
            @Override
            public void deliver(ArrivedTexts texts) {
                for (int i = 0; i < texts.size(); i++) {
                    seen.add(new Seen(texts.text(i), texts.firstEpoch(i), texts.firstSeq(i),
                            texts.seq(i)));
                }
            }

            @Override
            public void alreadyDelivered(long seq) {
                copies.add(seq);
            }
        };
        FakeLinkSessions.Link first = connected(inflow, 100);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT, text("one")), first.session, slow);
        // The sender restarts before "one" is recorded here, and sends it again.
        FakeLinkSessions.Link second = connected(inflow, 200);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT_AGAIN, again(100, 1, "one")),
                second.session, slow);
        assertEquals(List.of(1L), copies, "not delivered again, but waiting for the store");
        inflow.acknowledge(second.session);
        assertEquals(0, second.onlyNewAck()[0], "not acknowledged before the store has it");
        inflow.recorded(200, 1);
        assertEquals(1, second.onlyNewAck()[0]);
    }

    @Test
    void theFirstAckOnANewConnectionWaitsUntilEverythingHandedOnIsRecorded() {
        recordAtOnce = false;
        FakeLinkSessions.Link old = connected(inflow, 100);
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT, text("a"), text("b")), old.session,
                delivery);
        inflow.recorded(100, 1);
        // The same process calls again on a new connection: its first ACK must say 2, since a
        // sender that forgot this peer numbers on from it.
        FakeLinkSessions.Link fresh = FakeLinkSessions.open(7, 100);
        inflow.acknowledge(fresh.session);
        assertEquals(List.of(), fresh.newAcks(), "held back while b is not recorded");
        inflow.recorded(100, 2);
        assertEquals(2, fresh.newAcks().get(0)[0]);
    }

    @Test
    void aFirstNumberInALongerVarintFormLeavesTheTextWhole() {
        FakeLinkSessions.Link link = connected(inflow, 100);
        byte[] hi = text("hi");
        // 1 as two bytes (0x81 0x00): valid, if not the shortest form.
        byte[] body = ByteBuffer.allocate(8 + 2 + hi.length).putLong(50).put((byte) 0x81)
                .put((byte) 0).put(hi).array();
        inflow.receive(data(1, 1, MessageFrames.KIND_TEXT_AGAIN, body), link.session, delivery);
        assertEquals(List.of(new Seen("hi", 50, 1, 1)), seen);
    }
}
