package org.p2pchat.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.MessageTooLargeException;

/**
 * Encodes TEXT frames into a per-thread scratch buffer, so that sending a message allocates no
 * frame buffer: the transport copies the frame before {@code write} returns. ASCII text (the
 * common case) is copied char by char; anything else goes through the JDK's UTF-8 encoder.
 */
final class TextFrameEncoder {
    /** Texts longer than this (in chars) are encoded into a buffer of their own. */
    private static final int SCRATCH_CHARS = 16 * 1024;
    private static final ThreadLocal<ByteBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(1 + 3 * SCRATCH_CHARS));

    private TextFrameEncoder() {
    }

    /**
     * Encodes a TEXT frame. The returned buffer is reused by the next call on the same thread
     * when the text is short, so write it (or copy it) before encoding another.
     *
     * @param text the message text
     * @param maxFrameBytes the largest frame allowed
     * @return the frame, between position and limit
     * @throws MessageTooLargeException if the encoded frame is longer than the maximum
     */
    static ByteBuffer encode(String text, int maxFrameBytes) {
        int chars = text.length();
        if (chars + 1L > maxFrameBytes) {
            throw tooLarge(chars + 1L, maxFrameBytes);
        }
        if (chars <= SCRATCH_CHARS) {
            ByteBuffer b = SCRATCH.get().clear();
            b.put(WireCodec.TEXT);
            if (putAscii(text, b)) {
                return b.flip();
            }
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length + 1L > maxFrameBytes) {
            throw tooLarge(utf8.length + 1L, maxFrameBytes);
        }
        ByteBuffer b = chars <= SCRATCH_CHARS ? SCRATCH.get().clear() : ByteBuffer.allocate(utf8.length + 1);
        return b.put(WireCodec.TEXT).put(utf8).flip();
    }

    private static boolean putAscii(String text, ByteBuffer b) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            b.put((byte) c);
        }
        return true;
    }

    private static MessageTooLargeException tooLarge(long frameBytes, int max) {
        return new MessageTooLargeException("message needs a frame of " + frameBytes
                + " bytes; the maximum is " + max + " (p2pchat.maxFrameBytes, on both peers)");
    }
}
