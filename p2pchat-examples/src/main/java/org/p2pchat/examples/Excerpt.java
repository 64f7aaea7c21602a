package org.p2pchat.examples;

import java.util.List;
import org.p2pchat.examples.console.Printable;

/**
 * Quotes the start of a message on one line, so that a line printed long after the message was
 * typed says which message it is about: {@code "are you there?"}, or
 * {@code "first message..." and 2 more} for several. Stateless; any thread.
 */
final class Excerpt {
    /** How much of a message is quoted, in code points. */
    static final int CODE_POINTS = 40;

    private Excerpt() {
    }

    /**
     * Quotes one message, cut after {@link #CODE_POINTS} code points.
     *
     * @param text the message
     * @return the quoted start, on one line and safe to print
     */
    static String of(String text) {
        String t = Printable.of(text.strip());
        if (t.codePointCount(0, t.length()) > CODE_POINTS) {
            int end = t.offsetByCodePoints(0, CODE_POINTS);
            t = t.substring(0, end).stripTrailing() + "...";
        }
        return "\"" + t + "\"";
    }

    /**
     * Quotes the first of several messages and counts the others.
     *
     * @param texts the messages, in the order they were typed; at least one
     * @return {@code "first..."} alone, or followed by {@code and N more}
     */
    static String ofAll(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("expected at least one message");
        }
        String first = of(texts.get(0));
        return texts.size() == 1 ? first : first + " and " + (texts.size() - 1) + " more";
    }
}
