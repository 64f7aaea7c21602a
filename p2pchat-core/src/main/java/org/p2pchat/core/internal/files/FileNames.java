package org.p2pchat.core.internal.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a file name from the network may name a file in a directory of this peer's
 * choosing: one plain name that stays in that directory on every system a receiver may run on.
 * Stateless and thread-safe.
 */
final class FileNames {
    /** Windows' reserved device names, which open a device in any directory, with any extension. */
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$",
            "CONOUT$", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "COM¹", "COM²", "COM³", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7",
            "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³");
    /** Separators and the characters Windows refuses in names (':' also opens NTFS streams). */
    private static final String FORBIDDEN = "/\\:*?\"<>|";

    private FileNames() {
    }

    /**
     * Checks a name.
     *
     * @param name the name as the offer gives it
     * @return null if it may be used, else why not, for people
     */
    static String problem(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return "the name is empty";
        }
        if (bytes > FileFrames.MAX_SHORT_TEXT) {
            return "the name has " + bytes + " bytes; at most " + FileFrames.MAX_SHORT_TEXT;
        }
        if (name.startsWith(".")) {
            // ".", "..", and hidden names, which are this peer's own (its partial files).
            return "the name starts with a dot";
        }
        if (name.endsWith(".") || name.endsWith(" ")) {
            // Windows drops them, so "NUL." would open the device and "a.txt." another file.
            return "the name ends with a dot or a space";
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "the name holds '" + (char) c + "', a separator or a character Windows"
                        + " refuses";
            }
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE) {
                // Control and direction characters make a name show as another ("txt.exe").
                return String.format("the name holds U+%04X, a control, format or unassigned"
                        + " character", c);
            }
            i += Character.charCount(c);
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).stripTrailing()
                .toUpperCase(Locale.ROOT);
        if (DEVICES.contains(stem)) {
            return "'" + stem + "' is a device name on Windows";
        }
        return null;
    }

    /**
     * Resolves a checked name in a directory, making sure once more that it stays there.
     *
     * @throws IllegalArgumentException if it would not (a name {@link #problem} let through)
     */
    static Path inside(Path directory, String name) {
        Path dir = directory.toAbsolutePath().normalize();
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("'" + name + "' does not stay in " + dir);
        }
        return file;
    }
}
