package org.p2pchat.examples;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stdin for an in-process chat: the test types lines, {@link #close()} is end of input. Unlike a
 * PipedInputStream it does not care which threads write and read or whether they are still alive.
 * A reader that waits longer than {@link #IDLE_LIMIT_SECONDS} sees end of input, so a forgotten app
 * still ends.
 */
final class ScriptedInput extends InputStream {
    static final long IDLE_LIMIT_SECONDS = 120;
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    /** Types one line, as if followed by Enter. */
    void type(String line) {
        chunks.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        chunks.add(END);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (position == current.length) {
            byte[] next;
            try {
                next = chunks.poll(IDLE_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next = END;
            }
            if (next == null || next.length == 0) {
                ended = true;
                return -1;
            }
            current = next;
            position = 0;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }
}
