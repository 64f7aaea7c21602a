package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.Peer;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.UserInfo;
import org.p2pchat.testkit.Await;

/**
 * The README's library quickstart, exactly as printed there: this test takes the first
 * {@code java} block under "Library quickstart" from the README itself (so the two cannot drift
 * apart), compiles it as a new project would, and runs it in its own JVM, in a directory holding
 * only a user_info file, while bob listens in this JVM. The program closes its peer right after
 * its send; the message must still arrive.
 */
class ReadmeQuickstartTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern QUICKSTART = Pattern.compile(
            "## Library quickstart\\n.*?```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FILES = Pattern.compile(
            "## Files\\n.*?```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

    @Test
    void theReadmeQuickstartCompilesRunsAndItsMessageArrivesAlthoughItClosesRightAfterSending(
            @TempDir Path project) throws Exception {
        String source = quickstartSource();
        Matcher className = CLASS_NAME.matcher(source);
        assertTrue(className.find(), "the quickstart is a complete class:\n" + source);
        Path sourceFile = project.resolve(className.group(1) + ".java");
        Files.writeString(sourceFile, source, StandardCharsets.UTF_8);
        compile(sourceFile, project);

        int[] ports = FreePorts.pick(2);
        Files.writeString(project.resolve("user_info"), "alice 127.0.0.1:" + ports[0]
                + "\nbob   127.0.0.1:" + ports[1] + "\n", StandardCharsets.UTF_8);
        BlockingQueue<ChatMessage> bobInbox = new LinkedBlockingQueue<>();
        try (Peer bob = P2pChat.builder("bob").directory(UserInfo.load(project.resolve("user_info")))
                .stateDirectory(project.resolve("bob-state")).listener(bobInbox::add).start()) {
            assertEquals(ports[1], bob.listenAddress().port());
            Process alice = new ProcessBuilder(javaCommand(), "-cp",
                    project + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                    "-Dp2pchat.transport=nio", className.group(1))
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(project.resolve("alice.out").toFile())
                    .start();
            try {
                assertTrue(alice.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                        "the quickstart did not end");
                String output = Files.readString(project.resolve("alice.out"));
                assertEquals(0, alice.exitValue(), output);
                assertTrue(output.contains("bob has it"), "the send's stage completed:\n" + output);
                ChatMessage received = Await.next(bobInbox);
                assertEquals("alice", received.from());
                assertEquals("hi bob", received.text());
            } finally {
                alice.destroyForcibly();
            }
        }
    }

    private static String quickstartSource() throws IOException {
        return block(QUICKSTART, "Library quickstart");
    }

    private static String block(Pattern p, String section) throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = p.matcher(readme);
        assertTrue(m.find(), "README.md has a java block under '## " + section + "'");
        return m.group(1);
    }

    @Test
    void theReadmeFileExampleCompilesRunsAndTheFileArrivesWholeAtAPeerThatAcceptsIt(
            @TempDir Path project) throws Exception {
        String source = block(FILES, "Files");
        Matcher className = CLASS_NAME.matcher(source);
        assertTrue(className.find(), "the example is a complete class:\n" + source);
        Path sourceFile = project.resolve(className.group(1) + ".java");
        Files.writeString(sourceFile, source, StandardCharsets.UTF_8);
        compile(sourceFile, project);

        int[] ports = FreePorts.pick(2);
        Files.writeString(project.resolve("user_info"), "alice 127.0.0.1:" + ports[0]
                + "\nbob   127.0.0.1:" + ports[1] + "\n", StandardCharsets.UTF_8);
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(3).nextBytes(content);
        Files.write(project.resolve("photo.jpg"), content);
        Path downloads = project.resolve("downloads");
        BlockingQueue<java.nio.file.Path> stored = new LinkedBlockingQueue<>();
        org.p2pchat.api.MessageListener accepting = new org.p2pchat.api.MessageListener() {
            @Override
            public void onMessage(ChatMessage message) {
            }

            @Override
            public void onFileOffer(org.p2pchat.api.FileOffer offer) {
                offer.accept(downloads).completion().thenAccept(stored::add);
            }
        };
        try (Peer bob = P2pChat.builder("bob").directory(UserInfo.load(project.resolve("user_info")))
                .stateDirectory(project.resolve("bob-state")).listener(accepting).start()) {
            assertEquals(ports[1], bob.listenAddress().port());
            Process alice = new ProcessBuilder(javaCommand(), "-cp",
                    project + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                    "-Dp2pchat.transport=nio", className.group(1), "photo.jpg")
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(project.resolve("alice.out").toFile())
                    .start();
            try {
                assertTrue(alice.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS),
                        "the example did not end");
                String output = Files.readString(project.resolve("alice.out"));
                assertEquals(0, alice.exitValue(), output);
                assertTrue(output.contains("bob has photo.jpg"), output);
                assertTrue(output.contains("photo.jpg: " + content.length + " of "
                        + content.length + " bytes"), "the last progress call:\n" + output);
                Path got = Await.next(stored);
                assertEquals(downloads.resolve("photo.jpg"), got);
                assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(got)));
            } finally {
                alice.destroyForcibly();
            }
        }
    }

    private static void compile(Path source, Path outputDir) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("-d", outputDir.toString(), "-cp", System.getProperty("java.class.path"),
                        "-Xlint:all", "-Werror"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(source))
                .call();
        assertTrue(ok, "the README quickstart does not compile:\n" + diagnostics);
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
