package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.FileIntegrityException;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.FileRefusedException;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.FileTransferException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.node.ChatNode;
import org.p2pchat.core.internal.node.TransportSelector;
import org.p2pchat.testkit.Await;

/** Files between two peers over the nio transport on 127.0.0.1. */
class FilesOverNioTest {
    private static final int MIB = 1 << 20;
    private static final Duration TRANSFER = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private final MutableDirectory directory = new MutableDirectory();
    private final List<Peer> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(Peer::close);
    }

    private Peer start(String name, FileInbox inbox, UnaryOperator<PeerBuilder> more) {
        Peer p = more.apply(P2pChat.builder(name).transport("nio").directory(directory)
                .listenOn(PeerAddress.loopback(0)).listener(inbox)).start();
        inbox.of(p);
        directory.put(name, p.listenAddress());
        started.add(p);
        return p;
    }

    private Path file(String name, long bytes) throws IOException {
        Path f = tmp.resolve("out").resolve(name);
        Files.createDirectories(f.getParent());
        byte[] block = new byte[MIB];
        Random random = new Random(bytes);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return f;
    }

    private static byte[] sha256(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(f)) {
            byte[] b = new byte[MIB];
            for (int n; (n = in.read(b)) > 0; ) {
                d.update(b, 0, n);
            }
        }
        return d.digest();
    }

    private static <T> T result(FileTransfer t) throws Exception {
        @SuppressWarnings("unchecked")
        T got = (T) t.completion().toCompletableFuture().get(TRANSFER.toMillis(),
                TimeUnit.MILLISECONDS);
        return got;
    }

    private static Throwable failure(FileTransfer t) {
        return Await.failure(t.completion());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a100MiBFileArrivesWholeWhileChatRoundTripsOnTheSamePairStayUnder50Ms() throws Exception {
        Path downloads = tmp.resolve("downloads");
        FileInbox aliceInbox = new FileInbox(downloads, FileInbox.Policy.REFUSE);
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        Peer alice = start("alice", aliceInbox, b -> b);
        start("bob", bobInbox, b -> b);
        Path source = file("big.bin", 100L * MIB);
        // A first small file and the chat's first round trips run code not compiled yet: the JIT
        // at work is not the subject.
        for (int i = 0; i < 200; i++) {
            Await.result(alice.send("bob", "ping warm-up"));
            assertNotNull(aliceInbox.messages.poll(5, TimeUnit.SECONDS));
        }
        result(alice.sendFile("bob", file("warm-up.bin", 8L * MIB)));
        Files.delete(downloads.resolve("warm-up.bin"));
        bobInbox.accepted.clear();
        bobInbox.progress.clear();

        FileTransfer sending = alice.sendFile("bob", source);
        FileTransfer receiving = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(receiving, "bob was offered the file");
        CompletableFuture<Path> sent = sending.completion().toCompletableFuture();
        List<Long> trips = new ArrayList<>();
        int n = 0;
        while (!sent.isDone()) {
            long start = System.nanoTime();
            Await.result(alice.send("bob", "ping " + n));
            ChatMessage pong = aliceInbox.messages.poll(5, TimeUnit.SECONDS);
            assertNotNull(pong, "bob answered ping " + n);
            assertEquals("pong " + n, pong.text());
            if (!sent.isDone() && receiving.bytesDone() < receiving.size()) {
                trips.add(System.nanoTime() - start);
            }
            n++;
        }
        Path stored = result(receiving);
        assertEquals(source, result(sending));
        assertArrayEquals(sha256(source), sha256(stored));
        assertEquals(List.of("big.bin"), names(downloads), "only the file, no partial left");
        assertTrue(trips.size() >= 10, "round trips measured during the transfer: " + trips.size());
        // The 99th percentile, not the slowest: on a shared 2-core machine one trip in thousands
        // can meet a GC pause or a descheduled thread whatever the transfer does. Chat stuck
        // behind file data would show in most trips (a 128 KiB queue is a millisecond or two
        // here; megabytes would be tens of milliseconds each), and in the slowest: bounded too.
        long[] sorted = trips.stream().mapToLong(Long::longValue).sorted().toArray();
        long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
        long worst = sorted[sorted.length - 1];
        String seen = trips.size() + " round trips during the transfer: 99th percentile "
                + p99 / 1_000 + " µs, slowest " + worst / 1_000 + " µs";
        assertTrue(p99 < TimeUnit.MILLISECONDS.toNanos(50), seen);
        assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(500), seen);
        long[] last = bobInbox.progress.get(bobInbox.progress.size() - 1);
        assertEquals(100L * MIB, last[0], "the last progress call says every byte is done");
        assertTrue(bobInbox.progress.size() < 200, "progress is coalesced: "
                + bobInbox.progress.size() + " calls for 1600 chunks");
    }

    @Test
    void aTransferCutAtHalfResumesOnTheNextConnectionWithoutSendingTheFirstHalfAgain()
            throws Exception {
        Path downloads = tmp.resolve("downloads");
        CuttableTransport network = new CuttableTransport(TransportSelector.discover("nio"));
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE),
                b -> b.transport(network));
        start("bob", bobInbox, b -> b);
        long size = 32L * MIB;
        Path source = file("half.bin", size);

        FileTransfer sending = alice.sendFile("bob", source);
        FileTransfer receiving = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(receiving);
        Await.until("half of the file arrived", TRANSFER, () -> receiving.bytesDone() >= size / 2);
        assertTrue(network.cutAll() > 0, "a connection was cut");

        assertEquals(source, result(sending));
        assertArrayEquals(sha256(source), sha256(result(receiving)));
        long sent = ((ChatNode) alice).probe().fileChunkBytesSent();
        // What was on its way when the line went (at most the credit, 2 MiB) goes again.
        assertTrue(sent < size + 4L * MIB, "sent " + sent + " bytes for a file of " + size);
    }

    @Test
    void aChunkWhoseBytesChangedAfterTheOfferIsCaughtByTheReceiversSha256() throws Exception {
        Path downloads = tmp.resolve("downloads");
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.HOLD);
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE), b -> b);
        start("bob", bobInbox, b -> b);
        Path source = file("tampered.bin", 3L * MIB);

        FileTransfer sending = alice.sendFile("bob", source);
        FileOffer offer = bobInbox.offers.poll(30, TimeUnit.SECONDS);
        assertNotNull(offer);
        // The SHA-256 is offered; one byte of the second chunk then changes under the sender.
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.seek(100_000);
            int b = f.read();
            f.seek(100_000);
            f.write(b ^ 0x01);
        }
        FileTransfer receiving = offer.accept(downloads);

        FileIntegrityException here = assertInstanceOf(FileIntegrityException.class,
                failure(receiving));
        assertEquals(FileTransferException.Reason.INTEGRITY, here.reason());
        assertInstanceOf(FileIntegrityException.class, failure(sending));
        assertEquals(List.of(), names(downloads), "neither the file nor its partial is left");
    }

    @Test
    void anOfferTheListenerRefusesFailsTheSendersTransferWithFileRefusedException()
            throws Exception {
        Path downloads = tmp.resolve("downloads");
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE), b -> b);
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.REFUSE);
        start("bob", bobInbox, b -> b);

        FileTransfer sending = alice.sendFile("bob", file("unwanted.txt", 1000));

        FileRefusedException refused = assertInstanceOf(FileRefusedException.class,
                failure(sending));
        assertEquals(FileTransferException.Reason.DECLINED, refused.reason());
        assertTrue(refused.getMessage().contains("bob"), refused.getMessage());
        assertEquals(1, bobInbox.offers.size());
        assertFalse(Files.exists(downloads));
    }

    @Test
    void anOfferBeyondTheReceiversMaxFileBytesIsRefusedBeforeItsListenerSeesIt()
            throws Exception {
        Path downloads = tmp.resolve("downloads");
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE), b -> b);
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        start("bob", bobInbox, b -> b.maxFileBytes(4096));

        FileTransfer sending = alice.sendFile("bob", file("large.bin", 4097));

        FileRefusedException refused = assertInstanceOf(FileRefusedException.class,
                failure(sending));
        assertEquals(FileTransferException.Reason.TOO_LARGE, refused.reason());
        assertTrue(refused.getMessage().contains("p2pchat.maxFileBytes"), refused.getMessage());
        assertTrue(bobInbox.offers.isEmpty(), "the listener never saw it");
        assertEquals(0, ((ChatNode) alice).probe().fileChunkBytesSent());
    }

    @Test
    void theMaxFileBytesSystemPropertyBoundsWhatAPeerTakes() throws Exception {
        Path downloads = tmp.resolve("downloads");
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE), b -> b);
        java.util.Properties props = new java.util.Properties();
        props.setProperty("p2pchat.maxFileBytes", "100");
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        Peer bob = new PeerBuilder("bob", props).transport("nio").directory(directory)
                .listenOn(PeerAddress.loopback(0)).listener(bobInbox).start();
        bobInbox.of(bob);
        directory.put("bob", bob.listenAddress());
        started.add(bob);

        assertEquals(FileTransferException.Reason.TOO_LARGE, assertInstanceOf(
                FileRefusedException.class, failure(alice.sendFile("bob", file("101.bin", 101))))
                .reason());
        FileTransfer small = alice.sendFile("bob", file("100.bin", 100));
        FileTransfer received = bobInbox.accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(received, "a file of 100 bytes is taken");
        assertEquals(downloads.resolve("100.bin"), result(received));
        result(small);
    }

    @Test
    void aFileWhoseNameReceiversRefuseIsNotOfferedAtAll() throws Exception {
        Path downloads = tmp.resolve("downloads");
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE), b -> b);
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        start("bob", bobInbox, b -> b);

        FileTransferException e = assertInstanceOf(FileTransferException.class,
                failure(alice.sendFile("bob", file("NUL.txt", 10))));

        assertEquals(FileTransferException.Reason.BAD_NAME, e.reason());
        assertTrue(e.getMessage().contains("device name"), e.getMessage());
        assertTrue(bobInbox.offers.isEmpty());
    }

    @Test
    void aTransferCancelledByItsSenderFailsBothSidesAndLeavesNoPartialFile() throws Exception {
        Path downloads = tmp.resolve("downloads");
        Peer alice = start("alice", new FileInbox(downloads, FileInbox.Policy.REFUSE), b -> b);
        FileInbox bobInbox = new FileInbox(downloads, FileInbox.Policy.ACCEPT);
        start("bob", bobInbox, b -> b);
        long size = 64L * MIB;
        FileTransfer sending = alice.sendFile("bob", file("cancelled.bin", size));
        FileTransfer receiving = bobInbox.accepted.poll(30, TimeUnit.SECONDS);
        assertNotNull(receiving);
        Await.until("some bytes arrived", TRANSFER, () -> receiving.bytesDone() > 0);

        sending.cancel();

        assertEquals(FileTransferException.Reason.CANCELLED, assertInstanceOf(
                FileTransferException.class, failure(sending)).reason());
        assertEquals(FileTransferException.Reason.CANCELLED, assertInstanceOf(
                FileTransferException.class, failure(receiving)).reason());
        assertTrue(receiving.bytesDone() < size, "cancelled before the end");
        Await.until("the partial file is deleted", () -> {
            try {
                return names(downloads).isEmpty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
