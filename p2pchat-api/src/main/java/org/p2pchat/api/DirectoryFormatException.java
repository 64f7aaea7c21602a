package org.p2pchat.api;

/**
 * A user_info table has a line that cannot be read. The message names the source and the line
 * number, and says what was expected there.
 */
public class DirectoryFormatException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int lineNumber;

    /**
     * Creates the exception for one bad line.
     *
     * @param source where the table came from (a file name, or a description)
     * @param lineNumber the 1-based number of the bad line
     * @param problem what is wrong with the line and what was expected
     */
    public DirectoryFormatException(String source, int lineNumber, String problem) {
        super(source + ":" + lineNumber + ": " + problem);
        this.source = source;
        this.lineNumber = lineNumber;
    }

    /**
     * Returns where the table came from.
     *
     * @return the source name given when parsing
     */
    public String source() {
        return source;
    }

    /**
     * Returns the 1-based number of the bad line.
     *
     * @return the line number
     */
    public int lineNumber() {
        return lineNumber;
    }
}
