package org.p2pchat.examples;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Where the console chat's library log lines go: {@code chat.log} in the state directory,
 * appended, never the screen. On a terminal a log line printed to stderr would land in the middle
 * of the line being typed ({@code alice> bob/typ[p2pchat-nio-alice] WARN ...}), and with piped
 * stdin it would mix with the chat lines of a script that reads both streams.
 *
 * <p>The chat uses the slf4j-simple binding, which writes to {@code System.err} as it finds it at
 * each line (unless {@code org.slf4j.simpleLogger.logFile} names another target). So the chat
 * points the process's standard error at the log file: every log line goes there, whichever class
 * created the first logger and whenever, and so does anything else a library prints to standard
 * error (an uncaught exception's trace, a JLine warning). Start-up errors still reach the user:
 * they are written to the standard error the process started with.
 *
 * <p><b>Threading:</b> called once, by {@code main}'s thread, before the console and the peer
 * start; the process owns the stream from then on.
 */
final class ChatLog {
    /** The log file's name in the state directory. */
    static final String FILE_NAME = "chat.log";

    private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";

    private ChatLog() {
    }

    /**
     * Sets what slf4j-simple reads once, at its first logger: the level ({@code warn}, below it
     * is noise in a chat) and a time on each line (a file is read later). A system property given
     * on the command line wins, so {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} gives
     * more detail. Must run before anything logs, so {@code main} calls it first.
     */
    static void configureLibraryLogging() {
        setUnlessGiven("defaultLogLevel", "warn");
        setUnlessGiven("showDateTime", "true");
        setUnlessGiven("dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
    }

    /**
     * Opens {@code chat.log} in a state directory for appending (owner-readable only when it is
     * created, as it names peers and addresses), writes a line marking this start, and makes it
     * the process's standard error.
     *
     * @param stateDirectory the chat's state directory, created if missing
     * @param name the chat's name, for the start line
     * @return the log file
     * @throws IOException if the directory or the file cannot be created or opened
     */
    static Path redirectStandardError(Path stateDirectory, String name) throws IOException {
        Files.createDirectories(stateDirectory);
        Path file = stateDirectory.resolve(FILE_NAME);
        createOwnerOnly(file);
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        // Flushed at each line: a log must hold what happened before a crash.
        PrintStream log = new PrintStream(new BufferedOutputStream(out), true,
                StandardCharsets.UTF_8);
        log.println("--- " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + name
                + " started (process " + ProcessHandle.current().pid() + ")");
        System.setErr(log);
        return file;
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the directory's own permissions protect it.
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // Another chat on the same state directory created it a moment ago: append to it.
        }
    }

    private static void setUnlessGiven(String key, String value) {
        if (System.getProperty(SIMPLE_LOGGER + key) == null) {
            System.setProperty(SIMPLE_LOGGER + key, value);
        }
    }
}
