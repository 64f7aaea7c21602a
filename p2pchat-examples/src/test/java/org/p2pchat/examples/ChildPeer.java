package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.p2pchat.testkit.Await;

/**
 * A peer's main class in a child JVM on this test class path, for the tests that kill it with
 * {@code kill -9}: it reads commands on stdin, and what it prints is collected, {@code GOT text}
 * lines being the messages its listener got. Its stderr goes to the test's.
 */
final class ChildPeer {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final Writer stdin;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private ChildPeer(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The child was killed: what it printed is all there is.
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child JVM.
     *
     * @param main its main class
     * @param jvmOptions {@code -D...} options
     * @param args the main class's arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    static ChildPeer start(Class<?> main, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.addAll(jvmOptions);
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command);
        b.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildPeer(b.start());
    }

    void command(String line) throws IOException {
        if (process.isAlive()) {
            stdin.write(line + "\n");
            stdin.flush();
        }
    }

    /** Waits for a line; fails at once if the child ends without printing it. */
    void await(String line) {
        Await.until(line + " from the child", PATIENCE, () -> {
            if (!process.isAlive() && !lines.contains(line)) {
                throw new AssertionError("the child ended with " + process.exitValue()
                        + " before " + line);
            }
            return lines.contains(line);
        });
    }

    void awaitGot(int count) {
        Await.until(count + " messages in the child", PATIENCE, () -> got().size() >= count);
    }

    /** The texts of the {@code GOT} lines so far, in order. */
    List<String> got() {
        List<String> texts = new ArrayList<>();
        synchronized (lines) {
            for (String l : lines) {
                if (l.startsWith("GOT ")) {
                    texts.add(l.substring(4));
                }
            }
        }
        return texts;
    }

    /** {@code kill -9}: the JVM gets no chance to close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "killed");
    }

    void awaitExit() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not quit");
        }
    }
}
