package org.p2pchat.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.p2pchat.api.DirectoryFormatException;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.core.UserInfo;

/**
 * Where the user_info table comes from: a file the user names, or the table bundled in the jar
 * (alice, bob, carol, dave and eve on 127.0.0.1:7001-7005) so that two terminals can chat with no
 * setup. Stateless; any thread.
 */
final class UserInfoSource {
    /** The bundled table, a class path resource. */
    static final String BUNDLED = "/org/p2pchat/examples/user_info";

    /**
     * A table and where it came from, for messages.
     *
     * @param directory the table
     * @param description the file name, or "the bundled user_info"
     */
    record Loaded(PeerDirectory directory, String description) {
    }

    /** A table that cannot be used; the message is one line for the user. */
    static final class UnusableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private UserInfoSource() {
    }

    /**
     * Reads the table.
     *
     * @param file the file to read, or null for the bundled table
     * @return the table
     * @throws UnusableException if the file cannot be read or has a bad line
     */
    static Loaded load(Path file) throws UnusableException {
        try {
            if (file == null) {
                return new Loaded(UserInfo.parse(bundledText(), "bundled user_info"),
                        "the bundled user_info");
            }
            return new Loaded(UserInfo.load(file), file.toString());
        } catch (DirectoryFormatException e) {
            throw new UnusableException("bad user_info table: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UnusableException("cannot read user_info file " + file + " ("
                    + describe(e.getCause()) + ")", e);
        }
    }

    private static String bundledText() {
        try (InputStream in = UserInfoSource.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + BUNDLED, e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
