package org.p2pchat.benchmarks;

/** Builds the message texts the benchmarks send. Stateless. */
final class Payloads {
    private Payloads() {
    }

    /**
     * Returns printable ASCII text of exactly the given length, so it is as many bytes in UTF-8.
     *
     * @param bytes the length, 0 or more
     * @return the text
     */
    static String asciiText(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("expected a payload size of 0 or more, got " + bytes);
        }
        char[] chars = new char[bytes];
        for (int i = 0; i < bytes; i++) {
            chars[i] = (char) ('a' + i % 26);
        }
        return new String(chars);
    }
}
