package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;
import org.p2pchat.examples.console.PlainChatConsole;
import org.p2pchat.testkit.Await;

/**
 * A {@link ChatSession} on a real peer (nio, as surefire sets it) whose friend dave never runs,
 * with a short wait notice delay and delivery timeout, to see what the user is told while messages
 * wait and when they are given up.
 */
class ChatSessionTest {
    private static final Duration NOTICE_DELAY = Duration.ofMillis(100);
    /** Far above the notice delay, so the notice always comes first. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

    private final ScriptedInput stdin = new ScriptedInput();
    private final RecordedOutput stdout = new RecordedOutput();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private ExecutorService output;
    private Peer peer;
    private int davePort;

    @BeforeEach
    void startAliceWhoseFriendDaveNeverRuns() {
        int[] ports = FreePorts.pick(2);
        davePort = ports[1];
        PeerAddress alice = PeerAddress.loopback(ports[0]);
        output = Executors.newSingleThreadExecutor();
        peer = P2pChat.builder("alice")
                .directory(PeerDirectory.of(new PeerEntry("alice", alice),
                        new PeerEntry("dave", PeerAddress.loopback(davePort))))
                .listenOn(alice)
                .callbackExecutor(output)
                .deliveryTimeout(DELIVERY_TIMEOUT)
                .start();
        ChatSession session = new ChatSession(peer, new PlainChatConsole(stdin,
                StandardCharsets.UTF_8, stdout.stream()), output, NOTICE_DELAY);
        Thread t = new Thread(() -> {
            try {
                session.run();
                ended.complete(null);
            } catch (Throwable e) {
                ended.completeExceptionally(e);
            }
        }, "chat-session-alice");
        t.setDaemon(true);
        t.start();
        stdout.awaitLineStartingWith("alice listening on " + alice);
    }

    @AfterEach
    void leave() {
        try {
            stdin.close();
            Await.result(ended);
        } finally {
            peer.close();
            output.shutdown();
        }
    }

    @Test
    void waitingMessagesAreAnnouncedOncePerWaitAndReportedAtTheDeliveryTimeout() {
        String waiting = "* dave is not reachable yet; messages to dave wait and are retried until"
                + " the delivery timeout";
        String offline = "! dave is offline (connection refused at 127.0.0.1:" + davePort
                + "); not delivered: ";

        stdin.type("dave/are you there?");
        stdin.type("dave/hello?");
        stdout.awaitLine(waiting);
        stdout.awaitLine(offline + "\"are you there?\"");
        stdout.awaitLine(offline + "\"hello?\"");
        List<String> lines = stdout.lines();
        assertEquals(1, count(waiting), stdout.toString());
        assertTrue(lines.indexOf(waiting) < lines.indexOf(offline + "\"are you there?\""),
                stdout.toString());

        // Those sends have completed, so a new one to dave is a new wait, announced again.
        stdin.type("dave/one more try");
        stdout.awaitLine("a second notice", l -> count(waiting) == 2);
        stdout.awaitLine(offline + "\"one more try\"");
        assertEquals(5, stdout.lines().stream().filter(l -> l.startsWith("!")
                || l.startsWith("*")).count(), stdout.toString());
    }

    private long count(String line) {
        return stdout.lines().stream().filter(line::equals).count();
    }
}
