package org.p2pchat.examples.console;

/**
 * Makes text that came from the network safe to show on a terminal.
 *
 * <p>A friend's message is shown verbatim, so without this a peer could send escape sequences that
 * move the cursor, recolour or clear the screen, or a carriage return that overwrites the sender's
 * name with another one. Stateless; any thread.
 */
public final class Printable {
    private static final char REPLACEMENT = '\uFFFD';

    private Printable() {
    }

    /**
     * Replaces control characters (escape, carriage return, line feed, ...) with U+FFFD; a tab
     * becomes a space.
     *
     * @param text untrusted text
     * @return the text with no control characters
     */
    public static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT && c != '\u200D';
            if (control && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(!control ? c : c == '\t' ? ' ' : REPLACEMENT);
            }
        }
        return out == null ? text : out.toString();
    }
}
