package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ConnectFailedException;
import org.p2pchat.api.ConnectTimeoutException;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.ConnectionLimitException;
import org.p2pchat.api.DeliveryTimeoutException;
import org.p2pchat.api.MessageTooLargeException;
import org.p2pchat.api.OutboxFullException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.api.ProtocolException;

class SendFailuresTest {
    private static final PeerAddress BOB = PeerAddress.parse("127.0.0.1:7002");

    @Test
    void refusedConnectionSaysTheFriendIsOfflineAndWhere() {
        Throwable failure = new CompletionException(new PeerUnreachableException("cannot reach bob",
                new ConnectFailedException("connect failed", new ConnectException("Connection refused"))));
        assertEquals("! bob is offline (connection refused at 127.0.0.1:7002)",
                SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void connectTimeoutSaysNobodyAnswered() {
        Throwable failure = new PeerUnreachableException("x", new ConnectTimeoutException("slow"));
        assertEquals("! bob is offline (no answer from 127.0.0.1:7002 within the connect timeout)",
                SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void lostConnectionNamesTheReason() {
        Throwable lost = new ConnectionClosedException(ConnectionClosedException.Reason.REMOTE_CLOSE,
                "closed by peer");
        assertEquals("bob is not reachable yet (connection to 127.0.0.1:7002 closed: remote close)",
                SendFailures.situation("bob", BOB, lost, "is not reachable yet"));
    }

    @Test
    void aHandshakeCutShortMeansTheFriendAnswersButTheSessionFails() {
        Throwable cut = new PeerUnreachableException("connection to 127.0.0.1:7002 closed during"
                + " the handshake: closed by the remote side", new ConnectionClosedException(
                        ConnectionClosedException.Reason.REMOTE_CLOSE, "closed by the remote side"));
        assertEquals("bob answers but the session fails (connection to 127.0.0.1:7002 closed during"
                + " the handshake: closed by the remote side)",
                SendFailures.situation("bob", BOB, cut, "is not reachable yet"));
        assertEquals("! bob answers but the session fails (connection to 127.0.0.1:7002 closed"
                + " during the handshake: closed by the remote side); not delivered: \"hi\"",
                SendFailures.describe("bob", BOB, "hi", new DeliveryTimeoutException("no"
                        + " acknowledgement", false, cut)));
    }

    @Test
    void aHandshakeTimeoutOrAProtocolErrorMeansTheSessionFailsToo() {
        assertEquals("bob answers but the session fails (handshake with 127.0.0.1:7002 did not"
                + " complete within PT5S)", SendFailures.situation("bob", BOB,
                        new PeerUnreachableException("handshake with 127.0.0.1:7002 did not"
                                + " complete within PT5S"), "is offline"));
        assertEquals("bob answers but the session fails (expected ACCEPT or REFUSE)",
                SendFailures.situation("bob", BOB, new ProtocolException("expected ACCEPT or"
                        + " REFUSE"), "is offline"));
    }

    @Test
    void aRefusalWhileMessagesWaitIsASessionThatFails() {
        assertEquals("bob answers but the session fails (refused: bob refused this peer: x)",
                SendFailures.situation("bob", BOB, new PeerIdentityException("bob refused this"
                        + " peer: x"), "is not reachable yet"));
    }

    @Test
    void aPeerThatIsNotInTheTableHasNoAddressToName() {
        assertEquals("! zed is offline (connection closed: remote close); zed may have received"
                + " it: \"hi\"", SendFailures.describe("zed",
                        null, "hi", new DeliveryTimeoutException("no acknowledgement", true,
                                new ConnectionClosedException(
                                        ConnectionClosedException.Reason.REMOTE_CLOSE, "c"))));
        assertEquals("zed is not reachable yet (connection refused)", SendFailures.situation("zed",
                null, new ConnectFailedException("x", new ConnectException("Connection refused")),
                "is not reachable yet"));
        assertEquals("zed is not reachable yet (no answer within the connect timeout)",
                SendFailures.situation("zed", null, new ConnectTimeoutException("slow"),
                        "is not reachable yet"));
        assertEquals("zed is not reachable yet (cannot connect: odd)", SendFailures.situation(
                "zed", null, new IllegalStateException("odd"), "is not reachable yet"));
    }

    @Test
    void oneRefusalOfSeveralMessagesIsOneLineThatCountsThem() {
        assertEquals("! refused: bob refused this peer: x; not delivered: \"one\" and 2 more",
                SendFailures.refused("bob refused this peer: x", List.of("one", "two", "three")));
        assertEquals("! refused: bob refused this peer: x; not delivered: \"one\"",
                SendFailures.refused("bob refused this peer: x", List.of("one")));
    }

    @Test
    void timeoutAfterRefusedConnectionsSaysTheFriendIsOfflineAndWhere() {
        Throwable failure = new CompletionException(new DeliveryTimeoutException("no"
                + " acknowledgement from bob within PT30S; last failure: cannot connect",
                false, new ConnectFailedException("cannot connect to 127.0.0.1:7002",
                        new ConnectException("Connection refused"))));
        assertEquals("! bob is offline (connection refused at 127.0.0.1:7002); not delivered:"
                + " \"hi\"", SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void timeoutOfAMessageWrittenBeforeTheConnectionWasLostSaysItMayHaveArrived() {
        Throwable failure = new DeliveryTimeoutException("no acknowledgement from bob", true,
                new ConnectionClosedException(ConnectionClosedException.Reason.REMOTE_CLOSE,
                        "closed by peer"));
        assertEquals("! bob is offline (connection to 127.0.0.1:7002 closed: remote close); bob"
                + " may have received it: \"hi\"", SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void timeoutReasonComesFromTheCauseNotFromTheWrappersMessage() {
        // The library's message repeats the last failure's text; only the cause is classified.
        Throwable failure = new DeliveryTimeoutException("no acknowledgement from bob; last"
                + " failure: connection refused", false, new ConnectTimeoutException("slow"));
        assertEquals("! bob is offline (no answer from 127.0.0.1:7002 within the connect timeout);"
                + " not delivered: \"hi\"", SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void timeoutWithoutAConnectionFailureSaysTheFriendIsNotAnswering() {
        assertEquals("! bob is not answering (no acknowledgement within the delivery timeout);"
                + " not delivered: \"hi\"", SendFailures.describe("bob", BOB, "hi",
                        new CompletionException(new DeliveryTimeoutException("no acknowledgement",
                                false, null))));
        assertEquals("! bob is not answering (no acknowledgement within the delivery timeout);"
                + " bob may have received it: \"hi\"", SendFailures.describe("bob", BOB, "hi",
                        new DeliveryTimeoutException("no acknowledgement", true, null)));
    }

    @Test
    void aLateFailureQuotesTheStartOfTheMessageOnOneLine() {
        Throwable failure = new DeliveryTimeoutException("no acknowledgement", false, null);
        String text = "line one\nline two, and then a long tail of words that is cut";
        assertTrue(SendFailures.describe("bob", BOB, text, failure).endsWith(
                "; not delivered: \"line one\uFFFDline two, and then a long tail...\""));
        String smileys = "\uD83D\uDE00".repeat(Excerpt.CODE_POINTS + 1);
        assertTrue(SendFailures.describe("bob", BOB, smileys, failure).endsWith(
                ": \"" + "\uD83D\uDE00".repeat(Excerpt.CODE_POINTS) + "...\""),
                "cut between code points, never inside one");
    }

    @Test
    void anImmediateFailureDoesNotQuoteTheMessageJustTyped() {
        String line = SendFailures.describe("bob", BOB, "hi", new OutboxFullException("full"));
        assertFalse(line.contains("\"hi\""), line);
    }

    @Test
    void fullOutboxAsksToTryAgainLater() {
        Throwable failure = new CompletionException(new OutboxFullException("the outbox to bob"
                + " holds 4194300 bytes of unacknowledged messages and the limit is 4194304"));
        assertEquals("! message to bob not sent: too many messages are waiting for bob; try again"
                + " shortly", SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void otherFailuresAreOneLineWithoutControlCharacters() {
        String line = SendFailures.describe("bob", BOB, "hi",
                new MessageTooLargeException("frame of 2000000 bytes\nexceeds 1048576"));
        assertTrue(line.startsWith("! message to bob not sent: it is too long ("), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void keyMismatchIsARefusalWithTheLibrarysExplanation() {
        Throwable failure = new CompletionException(new PeerIdentityException("'bob' presented key"
                + " 1111-2222-3333-4444 but the key pinned in the user_info table is"
                + " 5555-6666-7777-8888; refused"));
        assertEquals("! refused: 'bob' presented key 1111-2222-3333-4444 but the key pinned in the"
                + " user_info table is 5555-6666-7777-8888; refused",
                SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void refusalIsFoundInsideAnUnreachableWrapperAndKeptOnOneLine() {
        Throwable failure = new PeerUnreachableException("cannot reach bob",
                new PeerIdentityException("bob refused this peer:\n'alice' presented key x"));
        assertEquals("! refused: bob refused this peer:\uFFFD'alice' presented key x",
                SendFailures.describe("bob", BOB, "hi", failure));
    }

    @Test
    void closingIsRecognisedThroughWrappers() {
        assertTrue(SendFailures.isClosing(new CompletionException(new PeerClosedException("c"))));
        assertFalse(SendFailures.isClosing(new PeerUnreachableException("x")));
    }

    @Test
    void aFriendWhoseNodeIsFullIsBusyNotOffline() {
        ConnectionLimitException busy = new ConnectionLimitException("bob refused the connection"
                + " for now: busy: connection limit reached (p2pchat.maxConnections)");
        assertEquals("bob is busy (refused: connection limit); trying again",
                SendFailures.situation("bob", PeerAddress.loopback(7002), busy,
                        "is not reachable yet"));
    }

    @Test
    void somethingOtherThanAPeerAtTheFriendsPortIsSaidToBeSo() {
        ConnectionClosedException http = new ConnectionClosedException(
                ConnectionClosedException.Reason.FRAME_TOO_LARGE, "connection 13 to 127.0.0.1:7005"
                        + " announced a frame of 1213486160 bytes, over the maximum of 1024 set for"
                        + " this connection");
        PeerUnreachableException cut = new PeerUnreachableException("connection to 127.0.0.1:7005"
                + " closed during the handshake: " + http.getMessage(), http);
        String said = SendFailures.situation("eve", PeerAddress.loopback(7005), cut,
                "is not reachable yet");
        assertTrue(said.startsWith("eve answers but the session fails (what answers there is not"
                + " a p2pchat peer: "), said);
    }
}
