package org.p2pchat.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.DirectoryFormatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;

/**
 * Reads a user_info table, the static directory of the seed design: one friend a line,
 * {@code name host:port [public-key]}; {@code #} starts a comment; blank lines are ignored. A
 * public key (base64, as {@link PeerKey#toString()} prints it) pins the friend's identity.
 *
 * <pre>
 * # name   address          pinned key (optional)
 * alice    127.0.0.1:7001   u3x6Yl2a9GZf1jv3Y0hX7uQm0W5b2cE8xY9zA1B2C3D
 * bob      [::1]:7002
 * </pre>
 *
 * <p>Stateless and thread-safe. A bad line fails the whole table with a
 * {@link DirectoryFormatException} naming the line number and what was expected, so a typo is
 * never silently ignored.
 */
public final class UserInfo {

    /** The longest table accepted, in lines: the table comes from a file a person edits. */
    public static final int MAX_LINES = 100_000;

    private UserInfo() {
    }

    /**
     * Reads a user_info file (UTF-8).
     *
     * @param file the file
     * @return the directory, in file order
     * @throws DirectoryFormatException if a line is malformed or a name repeats
     * @throws UncheckedIOException if the file cannot be read
     */
    public static PeerDirectory load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read user_info file " + file, e);
        }
    }

    /**
     * Parses a user_info table held in a string.
     *
     * @param table the table's text
     * @param source a name for error messages
     * @return the directory, in table order
     * @throws DirectoryFormatException if a line is malformed or a name repeats
     */
    public static PeerDirectory parse(String table, String source) {
        try {
            return parse(new StringReader(table), source);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
    }

    /**
     * Parses a user_info table from a reader, which is not closed.
     *
     * @param reader the table's text
     * @param source a name for error messages, such as the file name
     * @return the directory, in table order
     * @throws DirectoryFormatException if a line is malformed or a name repeats
     * @throws UncheckedIOException if reading fails
     */
    public static PeerDirectory parse(Reader reader, String source) {
        BufferedReader lines = reader instanceof BufferedReader br ? br : new BufferedReader(reader);
        List<PeerEntry> entries = new ArrayList<>();
        Map<String, Integer> lineOfName = new HashMap<>();
        int number = 0;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (number > MAX_LINES) {
                    throw new DirectoryFormatException(source, number,
                            "expected at most " + MAX_LINES + " lines");
                }
                PeerEntry entry = parseLine(line, source, number);
                if (entry == null) {
                    continue;
                }
                Integer earlier = lineOfName.putIfAbsent(entry.name(), number);
                if (earlier != null) {
                    throw new DirectoryFormatException(source, number, "name '" + entry.name()
                            + "' is already on line " + earlier + "; names must be unique");
                }
                entries.add(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read user_info table " + source, e);
        }
        return PeerDirectory.of(entries);
    }

    private static PeerEntry parseLine(String line, String source, int number) {
        int hash = line.indexOf('#');
        String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (content.isEmpty()) {
            return null;
        }
        String[] fields = content.split("\\s+");
        if (fields.length != 2 && fields.length != 3) {
            throw new DirectoryFormatException(source, number,
                    "expected 'name host:port [public-key]', got '" + content + "'");
        }
        try {
            return new PeerEntry(fields[0], PeerAddress.parse(fields[1]),
                    fields.length == 3 ? PeerKey.parse(fields[2]) : null);
        } catch (IllegalArgumentException e) {
            throw new DirectoryFormatException(source, number, e.getMessage());
        }
    }
}
