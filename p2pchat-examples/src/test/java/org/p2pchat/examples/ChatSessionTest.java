package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.PeerBuilder;
import org.p2pchat.testkit.Await;

/**
 * {@link ChatSession}s on real peers (nio, as surefire sets it), with a short wait notice delay,
 * delivery timeout and reconnect delay, to see what the user is told while messages wait, when
 * they are delivered after all, when they are given up, and when a friend's key is refused.
 */
class ChatSessionTest {
    /** Far above the notice delay, so the notice always comes first. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    /** Reconnect attempts to a friend who comes back follow quickly. */
    private static final UnaryOperator<PeerBuilder> FAST_RECONNECTS = b -> b
            .deliveryTimeout(Duration.ofSeconds(20))
            .maxReconnectDelay(Duration.ofMillis(200));
    private static final String WAIT = "; messages to %s wait and are retried until the delivery"
            + " timeout";

    private final List<AutoCloseable> started = new ArrayList<>();
    private PeerAddress aliceAddress;
    private PeerAddress bobAddress;
    private int davePort;

    @BeforeEach
    void pickPorts() {
        int[] ports = FreePorts.pick(3);
        aliceAddress = PeerAddress.loopback(ports[0]);
        bobAddress = PeerAddress.loopback(ports[1]);
        davePort = ports[2];
    }

    @AfterEach
    void leave() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @Test
    void waitingMessagesAreAnnouncedOncePerWaitAndReportedAtTheDeliveryTimeout() {
        SessionChat alice = start("alice", aliceAndDave(), b -> b.deliveryTimeout(DELIVERY_TIMEOUT));
        String offline = "! dave is offline (connection refused at 127.0.0.1:" + davePort
                + "); not delivered: ";

        alice.type("dave/are you there?");
        alice.type("dave/hello?");
        String waiting = alice.stdout.awaitLineStartingWith("* dave is not reachable yet");
        assertTrue(waiting.endsWith(String.format(WAIT, "dave")), waiting);
        alice.stdout.awaitLine(offline + "\"are you there?\"");
        alice.stdout.awaitLine(offline + "\"hello?\"");
        List<String> lines = alice.stdout.lines();
        assertEquals(1, alice.countStartingWith("* dave is not reachable yet"), alice.stdout.toString());
        assertTrue(lines.indexOf(waiting) < lines.indexOf(offline + "\"are you there?\""),
                alice.stdout.toString());

        // Those sends have completed, so a new one to dave is a new wait, announced again.
        alice.type("dave/one more try");
        alice.stdout.awaitLine("a second notice",
                l -> alice.countStartingWith("* dave is not reachable yet") == 2);
        alice.stdout.awaitLine(offline + "\"one more try\"");
        assertEquals(5, alice.countStartingWith("!") + alice.countStartingWith("*"),
                alice.stdout.toString());
        assertEquals(0, alice.countStartingWith("* delivered"), alice.stdout.toString());
    }

    @Test
    void theWaitNoticeSaysWhyWhenAConnectionAttemptHasFailed() {
        SessionChat alice = start("alice", aliceAndDave(), Duration.ofSeconds(1), b -> b);
        // A message the console does not follow makes the first attempt fail before the one typed
        // waits its notice delay; both wait in the same outbox.
        alice.peer.send("dave", "first");
        Await.until("a failed attempt", () -> alice.peer.connectionFailure("dave").isPresent());

        alice.type("dave/are you there?");
        alice.stdout.awaitLine("* dave is not reachable yet (connection refused at 127.0.0.1:"
                + davePort + ")" + String.format(WAIT, "dave"));
    }

    @Test
    void aPortThatAnswersWithoutAChatSessionIsToldApartFromAnOfflineFriend() throws IOException {
        try (ServerSocket notAChat = new ServerSocket(davePort, 50,
                InetAddress.getByName("127.0.0.1"))) {
            Thread closer = closeEveryConnection(notAChat);
            SessionChat alice = start("alice", aliceAndDave(), Duration.ofSeconds(1), b -> b);
            alice.peer.send("dave", "first");
            Await.until("a failed session", () -> alice.peer.connectionFailure("dave").isPresent());

            alice.type("dave/are you there?");
            String waiting = alice.stdout.awaitLineStartingWith("* dave answers but the session"
                    + " fails (connection to 127.0.0.1:" + davePort + " closed during the"
                    + " handshake: ");
            assertTrue(waiting.endsWith(")" + String.format(WAIT, "dave")), waiting);
            closer.interrupt();
        }
    }

    @Test
    void messagesThatWaitedAreReportedDeliveredInOneLineWhenTheFriendComesBack() {
        SessionChat alice = start("alice", aliceAndBob(null), FAST_RECONNECTS);
        alice.type("bob/are you there?");
        alice.type("bob/hello?");
        alice.type("bob/it's alice");
        alice.stdout.awaitLineStartingWith("* bob is not reachable yet");

        SessionChat bob = start("bob", aliceAndBob(null), b -> b);
        bob.stdout.awaitLine("[alice] it's alice");
        alice.stdout.awaitLine("* delivered to bob: \"are you there?\" and 2 more");

        // A message delivered without waiting is not announced, and neither is its delivery.
        alice.type("bob/no wait this time");
        bob.stdout.awaitLine("[alice] no wait this time");
        bob.type("alice/got them");
        alice.stdout.awaitLine("[bob] got them");
        assertEquals(1, alice.countStartingWith("* delivered"), alice.stdout.toString());
        assertEquals(0, alice.countStartingWith("!"), alice.stdout.toString());
    }

    @Test
    void aRefusalIsOneLineOnEachSideHoweverManyMessagesItFails() {
        PeerKey wrongKey = PeerKey.of(filled((byte) 7));
        SessionChat alice = start("alice", aliceAndBob(null), FAST_RECONNECTS);
        alice.type("bob/one");
        alice.type("bob/two");
        alice.type("bob/three");
        alice.stdout.awaitLineStartingWith("* bob is not reachable yet");

        // bob pins a key for alice that is not hers: he refuses her when she gets through.
        SessionChat bob = start("bob", aliceAndBob(wrongKey), b -> b);
        String refused = alice.stdout.awaitLineStartingWith("! refused: ");
        assertTrue(refused.startsWith("! refused: bob refused this peer: 'alice' presented key "
                + alice.peer.publicKey().fingerprint() + ", which bob does not trust for that"
                + " name"), refused);
        assertFalse(refused.contains(wrongKey.fingerprint()), "bob keeps his pinned key to himself");
        assertTrue(refused.endsWith("; not delivered: \"one\" and 2 more"), refused);
        String refusing = bob.stdout.awaitLineStartingWith("! refused alice: ");
        assertTrue(refusing.startsWith("! refused alice: 'alice' presented key "
                + alice.peer.publicKey().fingerprint()), refusing);

        // Each refusal is one line on each side: a second attempt adds exactly one more each.
        alice.type("bob/again");
        alice.stdout.awaitLine("the second refusal", l -> l.startsWith("! refused: ")
                && l.endsWith("; not delivered: \"again\""));
        bob.stdout.awaitLine("the second refusal", l -> bob.countStartingWith("! refused") == 2);
        assertEquals(2, alice.countStartingWith("! refused"), alice.stdout.toString());
        assertEquals(2, bob.countStartingWith("! refused"), bob.stdout.toString());
        assertTrue(bob.stdout.lines().stream().noneMatch(l -> l.startsWith("[alice]")),
                bob.stdout.toString());
    }

    private SessionChat start(String name, PeerDirectory directory,
            UnaryOperator<PeerBuilder> tweak) {
        SessionChat chat = SessionChat.start(name, directory, tweak);
        started.add(chat);
        return chat;
    }

    private SessionChat start(String name, PeerDirectory directory, Duration noticeDelay,
            UnaryOperator<PeerBuilder> tweak) {
        SessionChat chat = SessionChat.start(name, directory, noticeDelay, tweak);
        started.add(chat);
        return chat;
    }

    /** alice and dave, who never runs (or is not a chat). */
    private PeerDirectory aliceAndDave() {
        return PeerDirectory.of(new PeerEntry("alice", aliceAddress),
                new PeerEntry("dave", PeerAddress.loopback(davePort)));
    }

    /** alice, with the key given pinned (or none), and bob. */
    private PeerDirectory aliceAndBob(PeerKey aliceKey) {
        return PeerDirectory.of(new PeerEntry("alice", aliceAddress, aliceKey),
                new PeerEntry("bob", bobAddress));
    }

    /** Accepts connections and closes each at once, as a service that is not a chat might. */
    private static Thread closeEveryConnection(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    // Closed once alice's connect has completed: her handshake fails, not it.
                    server.accept().close();
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }, "not-a-chat");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static byte[] filled(byte value) {
        byte[] raw = new byte[PeerKey.BYTES];
        Arrays.fill(raw, value);
        return raw;
    }
}
