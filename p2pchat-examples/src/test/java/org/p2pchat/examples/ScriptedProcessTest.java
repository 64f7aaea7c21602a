package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.testkit.Await;

/**
 * The real program in its own JVM, scripted through a pipe the way
 * {@code printf 'bob/hi\n:q\n' | java -jar p2pchat-chat.jar alice} would be, with bob running
 * in-process to receive.
 */
class ScriptedProcessTest {

    @Test
    void pipedScriptIsCarriedOutAndColonQExitsZero(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        Path userInfo = dir.resolve("user_info");
        Files.writeString(userInfo, "alice 127.0.0.1:" + ports[0] + "\nbob 127.0.0.1:" + ports[1]
                + "\n", StandardCharsets.UTF_8);
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-cp",
                System.getProperty("java.class.path"), "-Dp2pchat.transport=nio",
                ConsoleChat.class.getName(), "alice", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("alice-state").toString());
        builder.redirectError(dir.resolve("alice.err").toFile());

        try (ChatApp bob = ChatApp.start("bob", "--user-info", userInfo.toString(),
                "--state-dir", dir.resolve("bob-state").toString())) {
            bob.awaitFingerprint();
            Process alice = builder.start();
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                Thread reader = collectLines(alice, output);
                try (Writer stdin = new java.io.OutputStreamWriter(alice.getOutputStream(),
                        StandardCharsets.UTF_8)) {
                    // All at once, then end of input, as a shell script would.
                    stdin.write("/peers\nbob/hi from a script\n:q\n");
                }
                bob.stdout.awaitLine("[alice] hi from a script");
                assertTrue(alice.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                        "alice did not exit; output " + output);
                assertEquals(0, alice.exitValue(), "output " + output + ", stderr "
                        + Files.readString(dir.resolve("alice.err")));
                reader.join(Await.DEFAULT.toMillis());
                assertTrue(output.get(0).matches("alice listening on 127\\.0\\.0\\.1:" + ports[0]
                        + ", key \\p{XDigit}{4}(-\\p{XDigit}{4}){3} - type friend/message, /help for"
                        + " help"), output.toString());
                assertTrue(output.stream().anyMatch(l -> l.matches("  bob\\s+127\\.0\\.0\\.1:"
                        + ports[1] + "\\s+disconnected\\s+-")), output.toString());
                assertTrue(output.stream().anyMatch(l -> l.startsWith("* bob's key ")
                        && l.endsWith(" trusted on first use (compare fingerprints out of band)")),
                        output.toString());
                assertTrue(Files.isRegularFile(dir.resolve("alice-state").resolve("identity.key")),
                        "alice keeps her identity in --state-dir");
                assertTrue(output.stream().noneMatch(l -> l.startsWith("!") || l.contains("\u001b")),
                        output.toString());
                assertEquals("", Files.readString(dir.resolve("alice.err")));
            } finally {
                alice.destroyForcibly();
            }
        }
    }

    private static Thread collectLines(Process process, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    into.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "alice-stdout");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
