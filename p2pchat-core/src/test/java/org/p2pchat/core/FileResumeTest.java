package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.FileTransferException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.core.internal.store.MemoryStore;
import org.p2pchat.testkit.Await;

/**
 * Transfers cut by a restart of either side, over nio: each resumes from the receiver's partial
 * file, and the bytes already there are not sent again.
 */
class FileResumeTest {
    private static final int MIB = 1 << 20;
    private static final long SIZE = 24L * MIB;
    /** What may go twice: the credit and the write queue's chunks, in flight at the cut. */
    private static final long SLACK = 2L * MIB;
    private static final Duration TRANSFER = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private final MutableDirectory directory = new MutableDirectory();
    private final List<Peer> started = new ArrayList<>();
    private Path downloads;
    private Path source;

    @AfterEach
    void closeAll() {
        started.forEach(Peer::close);
    }

    private Peer start(String name, int port, FileInbox inbox) {
        Peer p = P2pChat.builder(name).transport("nio").directory(directory)
                .stateDirectory(tmp.resolve(name + "-state"))
                .reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(100))
                .closeLinger(Duration.ofMillis(200))
                .listenOn(PeerAddress.loopback(port)).listener(inbox).start();
        inbox.of(p);
        started.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void prepare() throws IOException {
        downloads = tmp.resolve("downloads");
        source = tmp.resolve("out").resolve("resumed.bin");
        Files.createDirectories(source.getParent());
        byte[] block = new byte[MIB];
        Random random = new Random(7);
        try (OutputStream out = Files.newOutputStream(source)) {
            for (long left = SIZE; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }

    private static Path result(FileTransfer t) throws Exception {
        return t.completion().toCompletableFuture().get(TRANSFER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long sent(Peer p) {
        return ((ChatNode) p).probe().fileChunkBytesSent();
    }

    private void assertArrivedWhole(Path stored) throws Exception {
        MessageDigest a = MessageDigest.getInstance("SHA-256");
        MessageDigest b = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(a.digest(Files.readAllBytes(source)), b.digest(Files.readAllBytes(stored)));
        try (Stream<Path> s = Files.list(downloads)) {
            assertEquals(List.of(stored.getFileName()), s.map(Path::getFileName).toList(),
                    "the file alone, its partial gone");
        }
    }

    private static void awaitHalf(FileTransfer receiving) {
        Await.until("half of the file arrived", TRANSFER, () -> receiving.bytesDone() >= SIZE / 2);
    }

    @Test
    void aTransferCutByARestartOfTheReceiverResumesFromItsPartialFileWhenItAcceptsTheOfferAgain()
            throws Exception {
        prepare();
        int alicePort = freePort();
        int bobPort = freePort();
        directory.put("alice", PeerAddress.loopback(alicePort)).put("bob", PeerAddress.loopback(bobPort));
        Peer alice = start("alice", alicePort, new FileInbox(downloads, FileInbox.Policy.REFUSE));
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        Peer bob = start("bob", bobPort, bobInbox);

        FileTransfer sending = alice.sendFile("bob", source);
        FileTransfer first = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(first);
        awaitHalf(first);
        bob.close();
        FileTransferException cut = assertInstanceOf(FileTransferException.class,
                Await.failure(first.completion()));
        assertEquals(FileTransferException.Reason.CLOSED, cut.reason());
        long kept = first.bytesDone();

        // Alice offers the file again on the new connection; bob's new process accepts it.
        FileInbox againInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        start("bob", bobPort, againInbox);
        FileTransfer second = againInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(second, "the restarted receiver was offered the file again");
        assertEquals(sending.id(), second.id());

        assertArrivedWhole(result(second));
        assertEquals(source, result(sending));
        assertTrue(sent(alice) <= SIZE + SLACK, "sent " + sent(alice) + " bytes; " + kept
                + " of " + SIZE + " were kept across the restart");
    }

    @Test
    void aRestartedSenderOffersARememberedTransferByItselfAndTheReceiverResumesIt()
            throws Exception {
        prepare();
        int alicePort = freePort();
        int bobPort = freePort();
        directory.put("alice", PeerAddress.loopback(alicePort)).put("bob", PeerAddress.loopback(bobPort));
        MemoryStore aliceStore = new MemoryStore();
        Peer alice = start("alice", alicePort, new FileInbox(downloads, FileInbox.Policy.REFUSE));
        ((ChatNode) alice).useFileStore(aliceStore);
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        start("bob", bobPort, bobInbox);

        FileTransfer sending = alice.sendFile("bob", source);
        FileTransfer receiving = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(receiving);
        awaitHalf(receiving);
        alice.close();
        assertEquals(FileTransferException.Reason.CLOSED,
                assertInstanceOf(FileTransferException.class, Await.failure(sending.completion()))
                        .reason());
        long before = sent(alice);

        Peer again = start("alice", alicePort, new FileInbox(downloads, FileInbox.Policy.REFUSE));
        ((ChatNode) again).useFileStore(aliceStore);

        // The same transfer, under the same id: bob's stage completes as if nothing happened.
        assertArrivedWhole(result(receiving));
        Await.until("the restarted sender's transfer ended", () -> again.fileTransfers().isEmpty());
        assertTrue(before + sent(again) <= SIZE + SLACK, "sent " + before + " then "
                + sent(again) + " bytes of " + SIZE);
        assertTrue(aliceStore.value("files.outgoing").isEmpty(), "the journal forgot it");
    }

    @Test
    void aFileOfferedAgainByARestartedSenderWithoutAJournalResumesFromThePartialFile()
            throws Exception {
        prepare();
        int alicePort = freePort();
        int bobPort = freePort();
        directory.put("alice", PeerAddress.loopback(alicePort)).put("bob", PeerAddress.loopback(bobPort));
        Peer alice = start("alice", alicePort, new FileInbox(downloads, FileInbox.Policy.REFUSE));
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        start("bob", bobPort, bobInbox);

        alice.sendFile("bob", source);
        FileTransfer first = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(first);
        awaitHalf(first);
        alice.close();
        long before = sent(alice);

        Peer again = start("alice", alicePort, new FileInbox(downloads, FileInbox.Policy.REFUSE));
        FileTransfer resent = again.sendFile("bob", source);
        FileTransfer second = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(second);

        assertArrivedWhole(result(second));
        assertEquals(source, result(resent));
        assertEquals(FileTransferException.Reason.CANCELLED,
                assertInstanceOf(FileTransferException.class, Await.failure(first.completion()))
                        .reason(), "the first transfer gave its partial file to the second");
        assertTrue(before + sent(again) <= SIZE + SLACK, "sent " + before + " then "
                + sent(again) + " bytes of " + SIZE);
    }
}
