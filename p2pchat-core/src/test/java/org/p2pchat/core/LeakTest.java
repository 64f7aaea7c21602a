package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.Await;

/**
 * Starting a peer, connecting, sending and closing it, a thousand times over the NIO transport,
 * leaves open file descriptors and threads where they were.
 */
class LeakTest {
    private static final int CYCLES = 1_000;
    private static final int WARM_UP_CYCLES = 20;
    private static final int SLACK = 2;
    private static final Path FDS = Path.of("/proc/self/fd");

    private final MutableDirectory directory = new MutableDirectory();
    @TempDir
    Path state;

    private static int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts every live thread of the JVM (the module does not read java.management). */
    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /**
     * Starts alice (always the same identity, loaded from her state directory), sends bob one
     * message, waits for bob to receive it, and closes alice.
     */
    private void cycle(Inbox bobInbox, int i) {
        try (Peer alice = P2pChat.builder("alice").transport("nio")
                .listenOn(PeerAddress.loopback(0)).directory(directory)
                .stateDirectory(state.resolve("alice")).listener(m -> { }).start()) {
            directory.put("alice", alice.listenAddress());
            Await.result(alice.send("bob", "hello " + i));
            assertEquals("hello " + i, bobInbox.next().text());
        }
    }

    private static void awaitDisconnected(Peer bob) {
        Await.until("bob to see alice's connection close",
                () -> bob.connectionState("alice") == ConnectionState.DISCONNECTED);
    }

    @Test
    void aThousandConnectCloseCyclesLeaveFileDescriptorsAndThreadsAtTheirBaseline() {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd to count file descriptors");
        Inbox bobInbox = new Inbox();
        try (Peer bob = P2pChat.builder("bob").transport("nio")
                .listenOn(PeerAddress.loopback(0)).directory(directory)
                .stateDirectory(state.resolve("bob")).listener(bobInbox).start()) {
            directory.put("bob", bob.listenAddress());
            for (int i = 0; i < WARM_UP_CYCLES; i++) {
                cycle(bobInbox, i);
            }
            awaitDisconnected(bob);
            int fdBaseline = openFileDescriptors();
            int threadBaseline = liveThreads();

            for (int i = 0; i < CYCLES; i++) {
                cycle(bobInbox, i);
            }

            awaitDisconnected(bob);
            try {
                Await.until("file descriptors and threads back to their baseline",
                        Duration.ofSeconds(20),
                        () -> openFileDescriptors() <= fdBaseline + SLACK
                                && liveThreads() <= threadBaseline + SLACK);
            } catch (AssertionError e) {
                throw new AssertionError("after " + CYCLES + " cycles: file descriptors "
                        + openFileDescriptors() + " (baseline " + fdBaseline + "), threads "
                        + liveThreads() + " (baseline " + threadBaseline + ", within " + SLACK
                        + ")", e);
            }
            assertEquals(0, bobInbox.messages.size(), "every message was taken once");
        }
    }
}
