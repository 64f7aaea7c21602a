package org.p2pchat.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.FileTransferException.Reason;
import org.p2pchat.api.ProtocolException;

/** The bytes of files' messages and frames, as PROTOCOL.md ("Files") lays them out. */
class FileFramesTest {
    private static final TransferId ID = TransferId.of(HexFormat.of()
            .parseHex("000102030405060708090a0b0c0d0e0f"));

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void theCreditOfProtocolMdIsByteForByteWhatIsSent() {
        ByteBuffer credit = FileFrames.credit(ID, 65_536, 327_680);
        byte[] bytes = new byte[credit.remaining()];
        credit.get(bytes);
        assertArrayEquals(hex("09 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 80 80 04 80 80 14"),
                bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        assertEquals(new FileFrames.Credit(ID, 65_536, 327_680).toString(),
                FileFrames.readCredit(in).toString());
    }

    @Test
    void anOfferIsTypeIdSizeDigestAndAShortTextName() {
        byte[] sha = new byte[32];
        sha[31] = 7;
        byte[] offer = FileFrames.offer(ID, 258, sha, "a.txt");
        assertArrayEquals(hex("01 000102030405060708090a0b0c0d0e0f 0000000000000102"
                + " 0000000000000000000000000000000000000000000000000000000000000007"
                + " 05 612e747874"), offer);
        FileFrames.Control c = FileFrames.readControl(offer);
        assertEquals(FileFrames.OFFER, c.type());
        assertEquals(ID, c.id());
        assertEquals(258, c.offer().size());
        assertArrayEquals(sha, c.offer().sha256());
        assertEquals("a.txt", c.offer().name());
    }

    @Test
    void acceptRefuseDoneAndFailRoundTrip() {
        assertArrayEquals(hex("02 000102030405060708090a0b0c0d0e0f 0000000000010000"),
                FileFrames.accept(ID, 65_536));
        assertEquals(65_536, FileFrames.readControl(FileFrames.accept(ID, 65_536)).offset());
        assertArrayEquals(hex("03 000102030405060708090a0b0c0d0e0f 02 02 6e6f"),
                FileFrames.refuse(ID, Reason.TOO_LARGE, "no"));
        FileFrames.Control fail = FileFrames.readControl(FileFrames.fail(ID, Reason.INTEGRITY, "x"));
        assertEquals(FileFrames.FAIL, fail.type());
        assertEquals(Reason.INTEGRITY, fail.reason());
        assertEquals("x", fail.text());
        assertArrayEquals(hex("04 000102030405060708090a0b0c0d0e0f"), FileFrames.done(ID));
    }

    @Test
    void aReasonTextIsCutTo255BytesBeforeACharacter() {
        String text = "é".repeat(200);
        FileFrames.Control c = FileFrames.readControl(FileFrames.fail(ID, Reason.IO_ERROR, text));
        assertEquals("é".repeat(127), c.text());
    }

    @Test
    void anUnknownReasonIsReadAsProtocol() {
        byte[] refuse = FileFrames.refuse(ID, Reason.DECLINED, "");
        refuse[17] = (byte) 200;
        assertEquals(Reason.PROTOCOL, FileFrames.readControl(refuse).reason());
    }

    @Test
    void malformedMessagesAreRefusedWithProtocolExceptionOnly() {
        byte[] offer = FileFrames.offer(ID, 1, new byte[32], "a");
        byte[][] bad = {
            {},
            {FileFrames.OFFER},
            java.util.Arrays.copyOf(offer, offer.length - 1),
            java.util.Arrays.copyOf(offer, offer.length + 1),
            hex("06 000102030405060708090a0b0c0d0e0f"),
            hex("01 000102030405060708090a0b0c0d0e0f 8000000000000000"
                    + " 0000000000000000000000000000000000000000000000000000000000000000 01 61"),
            hex("01 000102030405060708090a0b0c0d0e0f 4000000000000000"
                    + " 0000000000000000000000000000000000000000000000000000000000000000 01 61"),
            hex("01 000102030405060708090a0b0c0d0e0f 0000000000000001"
                    + " 0000000000000000000000000000000000000000000000000000000000000000 01 ff"),
            hex("02 000102030405060708090a0b0c0d0e0f 00"),
        };
        for (byte[] b : bad) {
            assertThrows(ProtocolException.class, () -> FileFrames.readControl(b),
                    HexFormat.of().formatHex(b));
        }
    }

    @Test
    void aCreditWhoseLimitIsBelowNextOrWithTrailingBytesIsRefused() {
        assertThrows(ProtocolException.class, () -> FileFrames.readCredit(
                ByteBuffer.wrap(hex("000102030405060708090a0b0c0d0e0f 05 04"))));
        assertThrows(ProtocolException.class, () -> FileFrames.readCredit(
                ByteBuffer.wrap(hex("000102030405060708090a0b0c0d0e0f 00 04 00"))));
    }

    @Test
    void aChunkHeaderIsTypeIdAndAVarintOffsetThenAtLeastOneByte() {
        ByteBuffer b = ByteBuffer.allocate(64);
        FileFrames.putChunkHeader(b, ID, 300);
        b.put((byte) 0x55).flip();
        assertEquals(FileFrames.CHUNK, b.get());
        assertEquals(ID, FileFrames.readChunkId(b));
        assertEquals(300, FileFrames.readChunkOffset(b));
        assertEquals(1, b.remaining());
        ByteBuffer empty = ByteBuffer.allocate(64);
        FileFrames.putChunkHeader(empty, ID, 0);
        empty.flip().get();
        FileFrames.readChunkId(empty);
        assertThrows(ProtocolException.class, () -> FileFrames.readChunkOffset(empty));
    }
}
