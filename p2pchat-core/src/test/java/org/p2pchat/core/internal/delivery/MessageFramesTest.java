package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.api.ProtocolException;

/** The encoding of DATA and ACK frames (PROTOCOL.md, "Messages"), and its varints. */
class MessageFramesTest {

    private static ByteBuffer varint(long value) {
        ByteBuffer b = ByteBuffer.allocate(16);
        MessageFrames.putVarint(b, value);
        return b.flip();
    }

    private static ByteBuffer bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteBuffer.wrap(b);
    }

    /** A DATA frame after its type byte, as the receiver sees it. */
    private static ByteBuffer dataBody(long first, long floor, String... texts) {
        ByteBuffer b = ByteBuffer.allocate(64 + 16 * texts.length
                + String.join("", texts).length() * 4);
        MessageFrames.putDataHeader(b, first, floor);
        for (String t : texts) {
            MessageFrames.putMessage(b, MessageFrames.KIND_TEXT, t.getBytes(StandardCharsets.UTF_8));
        }
        b.flip();
        assertEquals(MessageFrames.DATA, b.get());
        return b;
    }

    // ---- varints ----

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 255, 16_383, 16_384, 1L << 31, 1L << 32, 1L << 56,
        (1L << 56) - 1, 1L << 62, Long.MAX_VALUE})
    void aVarintReadsBackAsTheNumberWritten(long value) {
        ByteBuffer b = varint(value);
        assertEquals(MessageFrames.varintBytes(value), b.remaining(), "varintBytes");
        assertEquals(value, MessageFrames.getVarint(b, "test"));
        assertFalse(b.hasRemaining(), "the whole varint is consumed");
    }

    @Test
    void aVarintsCountedSizeIsWhatItIsWrittenInOnEitherSideOfEverySevenBits() {
        for (int bits = 1; bits < 63; bits++) {
            for (long value : new long[] {(1L << bits) - 1, 1L << bits}) {
                assertEquals(varint(value).remaining(), MessageFrames.varintBytes(value),
                        "varintBytes(" + value + ")");
            }
        }
    }

    @Test
    void aVarintTakesOneByteUpTo127AndTwoFrom128() {
        assertArrayEquals(new byte[] {0}, remainingBytes(varint(0)));
        assertArrayEquals(new byte[] {0x7F}, remainingBytes(varint(127)));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, remainingBytes(varint(128)));
    }

    @Test
    void theLargest63BitNumberTakesNineBytes() {
        assertEquals(9, MessageFrames.varintBytes(Long.MAX_VALUE));
        assertEquals(9, varint(Long.MAX_VALUE).remaining());
        assertEquals(9, MessageFrames.varintBytes(1L << 62));
        assertEquals(8, MessageFrames.varintBytes((1L << 56) - 1));
    }

    @Test
    void aTenByteVarintIsRejected() {
        // Nine bytes with the continuation bit, then a last one: 64 bits and more do not fit.
        ByteBuffer b = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MessageFrames.getVarint(b, "DATA first number"));
        assertTrue(e.getMessage().contains("DATA first number"), e.getMessage());
    }

    @Test
    void aVarintAsLongAsTheBufferWithoutAnEndIsRejected() {
        assertThrows(ProtocolException.class,
                () -> MessageFrames.getVarint(bytes(0x80, 0x80, 0x80), "x"));
    }

    @ParameterizedTest
    @ValueSource(longs = {128, 1L << 20, 1L << 62, Long.MAX_VALUE})
    void aTruncatedVarintIsRejected(long value) {
        ByteBuffer whole = varint(value);
        for (int keep = 0; keep < whole.remaining(); keep++) {
            ByteBuffer cut = whole.duplicate().limit(keep);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> MessageFrames.getVarint(cut, "ACK window"), "cut to " + keep);
            assertTrue(e.getMessage().contains("ACK window"), e.getMessage());
        }
    }

    // ---- DATA ----

    @Test
    void aDataHeaderReadsBackWithItsFloor() {
        ByteBuffer b = dataBody(1_000, 990, "hi");
        MessageFrames.DataHeader h = MessageFrames.readDataHeader(b);
        assertEquals(1_000, h.firstSeq());
        assertEquals(990, h.floor());
        assertEquals(1 + 2, MessageFrames.readMessageLength(b), "the kind, then the text");
        assertEquals(MessageFrames.KIND_TEXT, b.get());
    }

    @Test
    void aDataHeaderWhoseFloorIsItsFirstNumberReadsBack() {
        MessageFrames.DataHeader h = MessageFrames.readDataHeader(dataBody(1, 1, "x"));
        assertEquals(new MessageFrames.DataHeader(1, 1), h);
    }

    @Test
    void aDataHeaderWithTheLargestNumberAllowedReadsBack() {
        MessageFrames.DataHeader h = MessageFrames.readDataHeader(
                dataBody(MessageFrames.MAX_SEQ, 1, "x"));
        assertEquals(new MessageFrames.DataHeader(MessageFrames.MAX_SEQ, 1), h);
    }

    @ParameterizedTest
    @ValueSource(longs = {(1L << 62) + 1, (1L << 63) - 2, Long.MAX_VALUE})
    void numbersBeyondTwoToTheSixtySecondAreRefusedBeforeTheyCanWrap(long first) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MessageFrames.readDataHeader(dataBody(first, 1, "x")));
        assertTrue(e.getMessage().endsWith("beyond 2^62"), e.getMessage());
    }

    @Test
    void theFloorIsSentAsTheDistanceBackFromTheFirstNumber() {
        ByteBuffer b = ByteBuffer.allocate(32);
        MessageFrames.putDataHeader(b, 300, 299);
        b.flip();
        assertEquals(MessageFrames.DATA, b.get());
        assertEquals(300, MessageFrames.getVarint(b, "first"));
        assertEquals(1, MessageFrames.getVarint(b, "back"));
        assertFalse(b.hasRemaining());
    }

    @Test
    void aDataHeaderFitsInItsAdvertisedMaximum() {
        ByteBuffer b = ByteBuffer.allocate(64);
        MessageFrames.putDataHeader(b, Long.MAX_VALUE, 1);
        assertTrue(b.position() <= MessageFrames.MAX_DATA_HEADER, "header of " + b.position());
        ByteBuffer m = ByteBuffer.allocate(16);
        MessageFrames.putVarint(m, Integer.MAX_VALUE);
        assertEquals(MessageFrames.MAX_LENGTH_PREFIX, m.position());
    }

    @Test
    void aDataFrameNumberedZeroIsRejected() {
        // first = 0, back = 0, then a message.
        assertThrows(ProtocolException.class,
                () -> MessageFrames.readDataHeader(bytes(0, 0, 1, 'x')));
    }

    @Test
    void aDataFrameWhoseFloorIsAboveItsFirstNumberIsRejected() {
        // What putDataHeader(5, 6) would mean: a negative distance, which does not fit a varint.
        ByteBuffer b = ByteBuffer.allocate(32);
        MessageFrames.putDataHeader(b, 5, 6);
        MessageFrames.putMessage(b, MessageFrames.KIND_TEXT, new byte[] {'x'});
        b.flip().get();
        assertThrows(ProtocolException.class, () -> MessageFrames.readDataHeader(b));
    }

    @Test
    void aDataFrameWhoseFloorIsBelowOneIsRejected() {
        // first = 5, back = 5: floor 0.
        assertThrows(ProtocolException.class,
                () -> MessageFrames.readDataHeader(bytes(5, 5, 1, 'x')));
        // first = 5, back = 200: floor far below 0.
        assertThrows(ProtocolException.class,
                () -> MessageFrames.readDataHeader(bytes(5, 0xC8, 0x01, 1, 'x')));
    }

    @Test
    void aDataFrameWithoutAMessageIsRejected() {
        ByteBuffer b = ByteBuffer.allocate(32);
        MessageFrames.putDataHeader(b, 7, 3);
        b.flip().get();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MessageFrames.readDataHeader(b));
        assertTrue(e.getMessage().contains("without a message"), e.getMessage());
    }

    @Test
    void aDataHeaderCutShortIsRejected() {
        assertThrows(ProtocolException.class, () -> MessageFrames.readDataHeader(bytes()));
        assertThrows(ProtocolException.class, () -> MessageFrames.readDataHeader(bytes(3)));
        assertThrows(ProtocolException.class, () -> MessageFrames.readDataHeader(bytes(0x83)));
    }

    @Test
    void anEmptyMessageIsAMessage() {
        ByteBuffer b = dataBody(4, 4, "");
        MessageFrames.readDataHeader(b);
        assertEquals(1, MessageFrames.readMessageLength(b), "its kind alone");
        assertEquals(MessageFrames.KIND_TEXT, b.get());
        assertFalse(b.hasRemaining());
    }

    @Test
    void aMessageLongerThanWhatRemainsOfTheFrameIsRejected() {
        // Length 5, then only 4 bytes.
        ByteBuffer b = bytes(5, 'a', 'b', 'c', 'd');
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MessageFrames.readMessageLength(b));
        assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
    }

    @Test
    void aMessageLengthBeyondAnIntIsRejected() {
        ByteBuffer b = ByteBuffer.allocate(32);
        MessageFrames.putVarint(b, Long.MAX_VALUE);
        b.put((byte) 'x').flip();
        assertThrows(ProtocolException.class, () -> MessageFrames.readMessageLength(b));
        ByteBuffer c = ByteBuffer.allocate(32);
        MessageFrames.putVarint(c, 1L << 32);
        c.put((byte) 'x').flip();
        assertThrows(ProtocolException.class, () -> MessageFrames.readMessageLength(c));
    }

    @Test
    void aMessageThatFillsTheFrameExactlyIsRead() {
        ByteBuffer b = bytes(3, 'a', 'b', 'c');
        assertEquals(3, MessageFrames.readMessageLength(b));
        assertEquals(3, b.remaining(), "left at the message's bytes");
        assertEquals('a', b.get());
    }

    @Test
    void theMessagesOfADataFrameReadBackInOrder() {
        String[] texts = {"one", "", "trois", "vier \u00fc\u00df", "\ud83d\ude00", "x".repeat(300)};
        ByteBuffer b = dataBody(10, 8, texts);
        MessageFrames.readDataHeader(b);
        for (String t : texts) {
            int length = MessageFrames.readMessageLength(b) - MessageFrames.KIND_BYTES;
            assertEquals(MessageFrames.KIND_TEXT, b.get());
            byte[] utf8 = new byte[length];
            b.get(utf8);
            assertEquals(t, new String(utf8, StandardCharsets.UTF_8));
        }
        assertFalse(b.hasRemaining());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 16_383, 16_384, 70_000})
    void messageBytesIsWhatPutMessageWrites(int length) {
        ByteBuffer b = ByteBuffer.allocate(length + 16);
        MessageFrames.putMessage(b, MessageFrames.KIND_TEXT, new byte[length]);
        assertEquals(b.position(), MessageFrames.messageBytes(length));
    }

    @Test
    void messageBytesCountsAFiveBytePrefixForTheLongestTexts() {
        assertEquals(5, MessageFrames.varintBytes(Integer.MAX_VALUE));
        assertEquals(MessageFrames.MAX_LENGTH_PREFIX + MessageFrames.KIND_BYTES + 1_000_000_000,
                MessageFrames.messageBytes(1_000_000_000));
    }

    // ---- ACK ----

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 1L << 40, Long.MAX_VALUE})
    void anAckReadsBack(long n) {
        ByteBuffer b = ByteBuffer.allocate(32);
        MessageFrames.putAck(b, n, Long.MAX_VALUE - n);
        b.flip();
        assertEquals(MessageFrames.ACK, b.get());
        assertArrayEquals(new long[] {n, Long.MAX_VALUE - n}, MessageFrames.readAck(b));
        assertFalse(b.hasRemaining());
    }

    @Test
    void theLargestAckFitsInNineteenBytes() {
        ByteBuffer b = ByteBuffer.allocate(1 + 9 + 9);
        MessageFrames.putAck(b, Long.MAX_VALUE, Long.MAX_VALUE);
        assertFalse(b.hasRemaining());
    }

    @Test
    void anAckWithTrailingBytesIsRejected() {
        ByteBuffer b = ByteBuffer.allocate(32);
        MessageFrames.putAck(b, 3, 4096);
        b.put((byte) 0).flip().get();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MessageFrames.readAck(b));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void anAckCutShortIsRejected() {
        ByteBuffer whole = ByteBuffer.allocate(32);
        MessageFrames.putAck(whole, 300, 70_000);
        whole.flip().get();
        for (int keep = 0; keep < whole.remaining(); keep++) {
            ByteBuffer cut = whole.duplicate().limit(whole.position() + keep);
            assertThrows(ProtocolException.class, () -> MessageFrames.readAck(cut),
                    "cut to " + keep);
        }
    }

    @Test
    void expectEndAcceptsAnEmptyRemainderAndNamesTheFrameOtherwise() {
        MessageFrames.expectEnd(bytes(), "PING");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MessageFrames.expectEnd(bytes(1, 2), "PING"));
        assertTrue(e.getMessage().startsWith("PING has 2 trailing bytes"), e.getMessage());
    }

    @Test
    void theFrameTypesAreDistinctFromTheHandshakesTypes() {
        // TEXT 2, REFUSE 3, ACCEPT 4 (PROTOCOL.md, "Sealed frames").
        assertEquals(5, MessageFrames.DATA);
        assertEquals(6, MessageFrames.ACK);
        assertEquals(7, MessageFrames.PING);
    }

    private static byte[] remainingBytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
