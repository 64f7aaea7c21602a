package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.testkit.Await;

/**
 * One console chat running in-process on its own thread, driven like a scripted process: lines
 * typed into stdin, lines read back from stdout and stderr, and an exit code.
 */
final class ChatApp implements AutoCloseable {
    final ScriptedInput stdin = new ScriptedInput();
    final RecordedOutput stdout = new RecordedOutput();
    final RecordedOutput stderr = new RecordedOutput();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private ChatApp(String... args) {
        thread = new Thread(() -> {
            try {
                exit.complete(ConsoleChat.run(args, stdin, stdout.stream(), stderr.stream()));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "chat-app-" + String.join(" ", args));
        thread.setDaemon(true);
    }

    /** Starts the app with a command line. */
    static ChatApp start(String... args) {
        ChatApp app = new ChatApp(args);
        app.thread.start();
        return app;
    }

    private static final Pattern GREETING = Pattern.compile(
            "\\S+ listening on \\S+, key (\\p{XDigit}{4}(-\\p{XDigit}{4}){3}) - .*");

    /** Waits for the start-up line and returns the fingerprint it shows. */
    String awaitFingerprint() {
        String line = stdout.awaitLine("the start-up line", l -> GREETING.matcher(l).matches());
        Matcher m = GREETING.matcher(line);
        if (!m.matches()) {
            throw new AssertionError(line);
        }
        return m.group(1);
    }

    /** Types one line into the app. */
    void type(String line) {
        stdin.type(line);
    }

    /** Waits for the app to end and returns its exit code. */
    int awaitExit() {
        try {
            return exit.get(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the app failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the app did not exit within " + Await.DEFAULT + "; "
                    + stdout + ", " + stderr, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Each app printed no error line ({@code "! ..."}) and nothing on stderr. */
    static void assertNoErrors(ChatApp... apps) {
        for (ChatApp app : apps) {
            assertFalse(app.stdout.lines().stream().anyMatch(l -> l.startsWith("!")),
                    app.stdout.toString());
            assertEquals(List.of(), app.stderr.lines());
        }
    }

    boolean isRunning() {
        return !exit.isDone();
    }

    /** Ends the input, if the test has not already made the app leave, and waits for the exit. */
    @Override
    public void close() {
        stdin.close();
        awaitExit();
    }
}
