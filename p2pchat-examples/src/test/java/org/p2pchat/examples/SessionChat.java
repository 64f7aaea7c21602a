package org.p2pchat.examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.PeerBuilder;
import org.p2pchat.examples.console.PlainChatConsole;
import org.p2pchat.testkit.Await;

/**
 * A {@link ChatSession} wired as {@link ConsoleChat} wires it, without the command line, so that a
 * test can set what the command line cannot (a short wait notice delay, fast reconnects): a real
 * peer (nio, as surefire sets it) listening on its own directory entry, a {@link ChatListener},
 * and a plain console on scripted input and recorded output. Keys are new at each start and trust
 * is kept in memory.
 */
final class SessionChat implements AutoCloseable {
    /** Much shorter than the real delay, so that tests see wait notices at once. */
    static final Duration NOTICE_DELAY = Duration.ofMillis(100);

    final ScriptedInput stdin = new ScriptedInput();
    final RecordedOutput stdout = new RecordedOutput();
    final Peer peer;
    private final ExecutorService output = Executors.newSingleThreadExecutor();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private SessionChat(String name, PeerDirectory directory, Duration noticeDelay,
            UnaryOperator<PeerBuilder> tweak) {
        PlainChatConsole console = new PlainChatConsole(stdin, StandardCharsets.UTF_8,
                stdout.stream());
        Correspondents correspondents = new Correspondents();
        PeerEntry self = directory.lookup(name).orElseThrow();
        peer = tweak.apply(P2pChat.builder(name)
                .directory(directory)
                .listenOn(self.address())
                .callbackExecutor(output)
                .listener(new ChatListener(console, correspondents, directory)))
                .start();
        ChatSession session = new ChatSession(peer, console, output, correspondents, null,
                noticeDelay);
        Thread t = new Thread(() -> {
            try {
                session.run();
                ended.complete(null);
            } catch (Throwable e) {
                ended.completeExceptionally(e);
            }
        }, "chat-session-" + name);
        t.setDaemon(true);
        t.start();
        stdout.awaitLineStartingWith(name + " listening on " + self.address());
    }

    /**
     * Starts a session and waits for its greeting.
     *
     * @param name the user, listed in the directory
     * @param directory the user_info table
     * @param tweak more settings for the peer
     */
    static SessionChat start(String name, PeerDirectory directory,
            UnaryOperator<PeerBuilder> tweak) {
        return new SessionChat(name, directory, NOTICE_DELAY, tweak);
    }

    /** As {@link #start}, with another wait notice delay. */
    static SessionChat start(String name, PeerDirectory directory, Duration noticeDelay,
            UnaryOperator<PeerBuilder> tweak) {
        return new SessionChat(name, directory, noticeDelay, tweak);
    }

    void type(String line) {
        stdin.type(line);
    }

    /** How many lines so far are exactly this one. */
    long count(String line) {
        return stdout.lines().stream().filter(line::equals).count();
    }

    /** How many lines so far start with the prefix. */
    long countStartingWith(String prefix) {
        return stdout.lines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** Ends the input, waits for the session to end, and closes the peer. */
    @Override
    public void close() {
        try {
            stdin.close();
            Await.result(ended);
        } finally {
            peer.close();
            output.shutdown();
        }
    }
}
