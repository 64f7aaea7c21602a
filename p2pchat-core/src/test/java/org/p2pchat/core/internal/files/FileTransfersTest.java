package org.p2pchat.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.FileRefusedException;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.FileTransferException;
import org.p2pchat.api.FileTransferException.Reason;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.delivery.FakeLinkSessions;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.testkit.Await;

/**
 * What a receiver does with hostile offers and chunks, budgets before allocation: names that
 * could leave the directory, sizes beyond its limit or its disk, more offers than it takes, and
 * chunks outside what it accepted and granted.
 */
class FileTransfersTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PeerKey ALICE = Identity.ephemeral(RANDOM).publicKey();

    @TempDir
    Path dir;
    private final FakeFileNet net = new FakeFileNet();
    private FileTransfers bob = new FileTransfers("bob", net,
            new FileOptions(1 << 20, 2, 3, 8, 4096, 1024, 2048, 1 << 20), RANDOM);

    @AfterEach
    void close() {
        bob.close();
    }

    private TransferId offer(PeerKey from, String name, long size) {
        TransferId id = TransferId.random(RANDOM);
        bob.control(from, "alice", FileFrames.offer(id, size, new byte[32], name), () -> { });
        return id;
    }

    private FileFrames.Control awaitSent(byte type, TransferId id) {
        Await.until("a file message of type " + type, () -> net.sent(type).stream()
                .anyMatch(c -> c.id().equals(id)));
        return net.sent(type).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private List<String> names() throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../escape.txt", "a/../../b", "/etc/passwd", "dir/file",
            "a\\b", "..\\..\\windows", "C:evil", "file.txt:stream", "CON", "nul.txt", "Com1",
            "LPT9.log", "aux .txt", "a\u0000b", "line\nbreak", "tab\there", "bell\u0007",
            "x\u202Etxt.exe", "zero\u200Bwidth", ".hidden", "trailing.", "trailing ", "",
            "quote\"s", "star*", "pipe|", "ask?", "<less", "more>"})
    void aNameThatCouldLeaveTheDirectoryOrMisleadIsRefusedAsBadNameBeforeTheListenerSeesIt(
            String name) throws Exception {
        TransferId id = offer(ALICE, name, 10);

        FileFrames.Control refusal = awaitSent(FileFrames.REFUSE, id);
        assertEquals(Reason.BAD_NAME, refusal.reason(), refusal.text());
        assertTrue(net.offers.isEmpty(), "the listener never saw it");
        assertEquals(List.of(), names());
    }

    @Test
    void aNameLongerThan255BytesIsRefusedAsBadName() {
        assertEquals("the name has 256 bytes; at most 255", FileNames.problem("é".repeat(128)));
        assertEquals(null, FileNames.problem("é".repeat(127) + "x"));
    }

    @Test
    void namesOfEverydayFilesAreAccepted() {
        for (String name : List.of("report.pdf", "Photo 2026-12-01 (1).jpg", "zoë.txt", "山田.doc",
                "archive.tar.gz", "CONTRACT.txt", "com10", "a..b")) {
            assertEquals(null, FileNames.problem(name), name);
        }
    }

    @Test
    void anOfferBeyondMaxFileBytesIsRefusedAsTooLargeWithoutAskingTheListener() {
        TransferId id = offer(ALICE, "big.bin", (1 << 20) + 1);

        FileFrames.Control refusal = awaitSent(FileFrames.REFUSE, id);
        assertEquals(Reason.TOO_LARGE, refusal.reason());
        assertTrue(refusal.text().contains("p2pchat.maxFileBytes"), refusal.text());
        assertTrue(net.offers.isEmpty());
    }

    @Test
    void anOfferBeyondTheFreeSpaceOfTheChosenDirectoryIsRefusedAsNoSpaceBeforeAByteIsWritten()
            throws Exception {
        bob.close();
        bob = new FileTransfers("bob", net, FileOptions.withMaxFileBytes((1L << 62) - 1), RANDOM);
        TransferId id = offer(ALICE, "huge.bin", 1L << 61);
        FileOffer offer = net.offers.poll(10, TimeUnit.SECONDS);
        assertNotNull(offer);

        FileTransfer t = offer.accept(dir.resolve("downloads"));

        FileRefusedException e = assertInstanceOf(FileRefusedException.class,
                Await.failure(t.completion()));
        assertEquals(Reason.NO_SPACE, e.reason());
        assertEquals(Reason.NO_SPACE, awaitSent(FileFrames.REFUSE, id).reason());
        try (Stream<Path> s = Files.list(dir.resolve("downloads"))) {
            assertEquals(0, s.count(), "no partial file was made");
        }
    }

    @Test
    void offersBeyondTheBoundPerPeerAndInTotalAreRefusedAsBusy() throws Exception {
        offer(ALICE, "one", 1);
        offer(ALICE, "two", 1);
        TransferId third = offer(ALICE, "three", 1);
        assertEquals(Reason.BUSY, awaitSent(FileFrames.REFUSE, third).reason(),
                "two from one peer");
        PeerKey carol = Identity.ephemeral(RANDOM).publicKey();
        offer(carol, "four", 1);
        TransferId fifth = offer(carol, "five", 1);
        assertEquals(Reason.BUSY, awaitSent(FileFrames.REFUSE, fifth).reason(), "three in all");
        Await.until("three offers handed over", () -> net.offers.size() == 3);
    }

    @Test
    void aChunkOfATransferNeverAcceptedClosesTheConnection() {
        FakeLinkSessions.Link link = FakeLinkSessions.open(1, 7);
        bob.established(ALICE, link.session);
        TransferId offered = offer(ALICE, "held.txt", 100);
        Await.until("the offer reached the listener", () -> net.offers.size() == 1);

        for (TransferId id : List.of(offered, TransferId.random(RANDOM))) {
            ByteBuffer chunk = chunk(id, 0, 10);
            assertThrows(ProtocolException.class,
                    () -> bob.frame(ALICE, link.session, FileFrames.CHUNK, chunk));
        }
    }

    private static ByteBuffer chunk(TransferId id, long offset, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(FileFrames.CHUNK_HEADER + bytes);
        FileFrames.putChunkHeader(b, id, offset);
        b.put(new byte[bytes]).flip();
        b.get(); // the type byte, as the link reads it
        return b;
    }

    /** Accepts an offer of {@code size} bytes and returns it once its first CREDIT is out. */
    private FileTransfer accepted(FakeLinkSessions.Link link, TransferId id, long size)
            throws Exception {
        FileOffer offer = net.offers.poll(10, TimeUnit.SECONDS);
        assertNotNull(offer);
        FileTransfer t = offer.accept(dir);
        awaitSent(FileFrames.ACCEPT, id);
        Await.until("a CREDIT on the lane", () -> link.connection.frameCount() > 0);
        ByteBuffer credit = link.newFrames().get(0);
        assertEquals(FileFrames.CREDIT, credit.get());
        FileFrames.Credit c = FileFrames.readCredit(credit);
        assertEquals(0, c.next());
        assertEquals(Math.min(size, 4096), c.limit());
        return t;
    }

    @Test
    void aChunkBeyondTheCreditGrantedClosesTheConnectionAndFailsTheTransfer() throws Exception {
        FakeLinkSessions.Link link = FakeLinkSessions.open(1, 7);
        bob.established(ALICE, link.session);
        TransferId id = offer(ALICE, "credit.bin", 100_000);
        FileTransfer t = accepted(link, id, 100_000);

        // Less than half the credit: no new grant can raise the limit meanwhile.
        bob.frame(ALICE, link.session, FileFrames.CHUNK, chunk(id, 0, 1000));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> bob.frame(ALICE, link.session, FileFrames.CHUNK, chunk(id, 1000, 3097)));

        assertTrue(e.getMessage().contains("beyond the credit"), e.getMessage());
        assertEquals(Reason.PROTOCOL, awaitSent(FileFrames.FAIL, id).reason());
        assertEquals(Reason.PROTOCOL, assertInstanceOf(FileTransferException.class,
                Await.failure(t.completion())).reason());
        assertEquals(List.of(), names(), "the partial file was deleted");
    }

    @Test
    void aChunkBeyondTheAnnouncedSizeOrAtTheWrongOffsetClosesTheConnection() throws Exception {
        FakeLinkSessions.Link link = FakeLinkSessions.open(1, 7);
        bob.established(ALICE, link.session);
        TransferId small = offer(ALICE, "small.bin", 100);
        accepted(link, small, 100);
        ProtocolException beyond = assertThrows(ProtocolException.class,
                () -> bob.frame(ALICE, link.session, FileFrames.CHUNK, chunk(small, 0, 101)));
        assertTrue(beyond.getMessage().contains("beyond the 100 bytes offered"),
                beyond.getMessage());

        TransferId gap = offer(ALICE, "gap.bin", 1000);
        accepted(link, gap, 1000);
        ProtocolException skipped = assertThrows(ProtocolException.class,
                () -> bob.frame(ALICE, link.session, FileFrames.CHUNK, chunk(gap, 10, 10)));
        assertTrue(skipped.getMessage().contains("at offset 10 where 0 was next"),
                skipped.getMessage());
    }

    @Test
    void aMalformedFileMessageIsDroppedWithoutClosingAnything() {
        bob.control(ALICE, "alice", new byte[] {FileFrames.OFFER, 1, 2}, () -> { });
        bob.control(ALICE, "alice", new byte[] {42}, () -> { });
        TransferId id = offer(ALICE, "fine.txt", 1);

        Await.until("the next good offer is handled", () -> net.offers.size() == 1);
        assertEquals(id.toString(), net.offers.peek().id());
        assertEquals(List.of(), net.sent, "nothing answered the malformed ones");
    }
}
