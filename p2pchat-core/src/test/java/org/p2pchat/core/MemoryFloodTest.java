package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.Await;

/**
 * Bob runs in a child JVM with a 96 MiB heap. 63 strangers each push 40,000 empty messages, the
 * costliest kind per byte on the wire (a full window of them held by bob's listener would take
 * about 80 MiB), while his listener is slow with them. What bob holds for them stays within the
 * strangers' quarter of his memory budget (without the budget it passes 20 MB within seconds),
 * he never runs out of memory, and alice's messages keep arriving, in order.
 */
class MemoryFloodTest {
    private static final int STRANGERS = 63;
    private static final int MESSAGES_EACH = 40_000;
    private static final int FROM_ALICE = 50;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Process bob;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (bob != null) {
            bob.destroyForcibly();
        }
    }

    private static String childClassPath() {
        return Stream.of(Path.of("target", "test-classes").toAbsolutePath().toString(),
                        Path.of("target", "classes").toAbsolutePath().toString(),
                        System.getProperty("jdk.module.path", ""),
                        System.getProperty("java.class.path", ""))
                .filter(s -> !s.isEmpty()).collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void strangersFloodingEmptyMessagesStayWithinTheBudgetAndAFriendIsStillHeard()
            throws Exception {
        Inbox aliceInbox = new Inbox();
        MutableDirectory alicesTable = new MutableDirectory();
        Peer alice = P2pChat.builder("alice").transport("nio").listenOn(PeerAddress.loopback(0))
                .directory(alicesTable).listener(aliceInbox).start();
        toClose.add(alice);

        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        bob = new ProcessBuilder(java, "-Xmx96m", "-cp", childClassPath(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", FloodedPeer.class.getName(),
                alice.listenAddress().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    bob.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("READ FAILED " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        String first = Await.next(lines);
        assertTrue(first.startsWith("LISTENING "), first);
        PeerAddress bobAt = PeerAddress.loopback(Integer.parseInt(first.substring(10)));
        alicesTable.put("bob", bobAt);

        List<CompletableFuture<Void>> flood = new ArrayList<>();
        MutableDirectory strangersTable = new MutableDirectory().put("bob", bobAt);
        for (int s = 0; s < STRANGERS; s++) {
            Peer stranger = P2pChat.builder("stranger" + s).transport("nio")
                    .listenOn(PeerAddress.loopback(0)).directory(strangersTable)
                    .listener(m -> { }).closeLinger(Duration.ZERO)
                    .maxHandshakeRetryDelay(Duration.ofMillis(200)).start();
            toClose.add(stranger);
            for (int i = 0; i < MESSAGES_EACH; i++) {
                flood.add(stranger.send("bob", "").toCompletableFuture());
            }
        }

        Writer ask = new java.io.OutputStreamWriter(bob.getOutputStream(), StandardCharsets.UTF_8);
        long maxHeld = 0;
        long limit = 0;
        int heard = 0;
        for (int i = 0; i < FROM_ALICE; i++) {
            Await.result(alice.send("bob", "n" + i));
            ask.write("held?\n");
            ask.flush();
            while (true) {
                String line = Await.next(lines);
                if (line.startsWith("OOM")) {
                    fail("bob ran out of memory: " + line);
                }
                if (line.startsWith("ALICE ")) {
                    assertEquals("ALICE n" + heard, line, "alice's messages in order");
                    heard++;
                    continue;
                }
                String[] f = line.split(" ");
                assertEquals("HELD", f[0], line);
                maxHeld = Math.max(maxHeld, Long.parseLong(f[1]));
                limit = Long.parseLong(f[3]);
                break;
            }
        }
        // Keep asking while the flood goes on: without the budget, what bob holds climbs past it
        // within a second or two (and at 96 MiB he runs out of memory).
        long askUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < askUntil && !flood.stream().allMatch(CompletableFuture::isDone)) {
            ask.write("held?\n");
            ask.flush();
            while (true) {
                String line = Await.next(lines);
                assertTrue(!line.startsWith("OOM"), "bob ran out of memory: " + line);
                if (line.startsWith("ALICE ")) {
                    assertEquals("ALICE n" + heard, line, "alice's messages in order");
                    heard++;
                    continue;
                }
                maxHeld = Math.max(maxHeld, Long.parseLong(line.split(" ")[1]));
                break;
            }
        }
        int[] heardSoFar = {heard};
        Await.until("all of alice's messages reached bob's listener", () -> {
            for (String l = lines.poll(); l != null; l = lines.poll()) {
                assertTrue(!l.startsWith("OOM"), "bob ran out of memory: " + l);
                if (l.startsWith("ALICE ")) {
                    assertEquals("ALICE n" + heardSoFar[0], l, "alice's messages in order");
                    heardSoFar[0]++;
                }
            }
            return heardSoFar[0] == FROM_ALICE;
        });
        // Strangers share a quarter of the budget; alice's few messages come on top.
        assertTrue(maxHeld <= limit / 4 + 65_536, "bob held " + maxHeld + " bytes, beyond the"
                + " strangers' quarter of his budget of " + limit);
        assertTrue(maxHeld > 0, "the flood reached bob's listener");
        assertTrue(bob.isAlive(), "bob is still running");
        ask.close();
        assertTrue(bob.waitFor(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS), "bob ends");
        assertEquals(0, bob.exitValue());
    }
}
