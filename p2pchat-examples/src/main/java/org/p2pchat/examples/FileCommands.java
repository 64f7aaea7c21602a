package org.p2pchat.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.Peer;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * The chat's files: {@code /send NAME PATH} offers one, offers that arrive are printed with a
 * number ({@code * bob offers report.pdf (2.4 MiB) - /accept 1 or /reject 1}) and wait for
 * {@code /accept} or {@code /reject}, accepted files land in the downloads directory (under the
 * state directory), and every transfer under way shows a progress bar: in the terminal's status
 * area below the input line, or, when the console has none (piped output), as a line at each
 * quarter. Each transfer ends with one line, {@code * bob has ...} or {@code ! ...} saying why not.
 *
 * <p><b>Threading:</b> offers and progress come on the peer's callback thread, commands on the
 * input thread, outcomes on the {@code reports} executor; the state is guarded by this object.
 */
final class FileCommands {
    private static final int BAR_WIDTH = 24;

    private final ChatConsole console;
    private final Path downloads;
    private final Executor reports;
    private volatile Peer peer;
    /** Offers printed and not decided yet, by their number; guarded by this. */
    private final Map<Integer, FileOffer> offers = new LinkedHashMap<>();
    private int nextOffer = 1;
    /** The bar of each transfer under way, in the order they started. */
    private final Map<FileTransfer, String> bars = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>());
    /** The last quarter printed for each transfer, on a console without a status area. */
    private final Map<FileTransfer, Integer> quarters = new ConcurrentHashMap<>();

    /**
     * Creates the file commands of a chat.
     *
     * @param console where lines and bars go
     * @param downloads where accepted files land; created on the first one
     * @param reports runs the printing of outcomes (the peer's callback executor)
     */
    FileCommands(ChatConsole console, Path downloads, Executor reports) {
        this.console = Objects.requireNonNull(console, "console");
        this.downloads = Objects.requireNonNull(downloads, "downloads");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** The peer, once started: offers come before it can be given to the constructor. */
    void attach(Peer started) {
        this.peer = started;
    }

    /** Callback thread: a file offered; printed with its number. */
    void offered(FileOffer offer) {
        int n;
        synchronized (this) {
            n = nextOffer++;
            offers.put(n, offer);
        }
        console.println("* " + Printable.of(offer.from()) + " offers " + Printable.of(offer.fileName())
                + " (" + size(offer.size()) + ") - /accept " + n + " or /reject " + n);
    }

    /** Input thread: {@code /send NAME PATH}. */
    void send(String friend, String typed) {
        Path file;
        try {
            file = Path.of(typed);
        } catch (java.nio.file.InvalidPathException e) {
            console.println("! '" + Printable.of(typed) + "' is not a path: " + e.getReason());
            return;
        }
        if (!Files.isRegularFile(file)) {
            console.println("! no file at " + Printable.of(file.toAbsolutePath().toString()));
            return;
        }
        FileTransfer t = peer.sendFile(friend, file);
        console.println("* offering " + Printable.of(t.fileName()) + " (" + size(t.size()) + ") to "
                + Printable.of(friend) + "; it goes once " + Printable.of(friend) + " accepts");
        follow(t);
    }

    /** Input thread: {@code /accept [ID]}. */
    void accept(Integer number) {
        FileOffer offer = take(number, "accept");
        if (offer == null) {
            return;
        }
        FileTransfer t;
        try {
            t = offer.accept(downloads);
        } catch (IllegalStateException e) {
            console.println("! " + e.getMessage());
            return;
        }
        console.println("* receiving " + Printable.of(offer.fileName()) + " from "
                + Printable.of(offer.from()) + " into " + downloads);
        follow(t);
    }

    /** Input thread: {@code /reject [ID]}. */
    void reject(Integer number) {
        FileOffer offer = take(number, "reject");
        if (offer != null) {
            offer.refuse();
            console.println("* refused " + Printable.of(offer.fileName()) + " from "
                    + Printable.of(offer.from()));
        }
    }

    private FileOffer take(Integer number, String verb) {
        synchronized (this) {
            if (number == null) {
                Iterator<Map.Entry<Integer, FileOffer>> oldest = offers.entrySet().iterator();
                if (oldest.hasNext()) {
                    FileOffer o = oldest.next().getValue();
                    oldest.remove();
                    return o;
                }
            } else if (offers.containsKey(number)) {
                return offers.remove(number);
            }
        }
        console.println(number == null ? "! no file offer to " + verb
                : "! no file offer numbered " + number + " to " + verb);
        return null;
    }

    /** Callback thread: a transfer moved. */
    void progress(FileTransfer t, long done, long total) {
        if (t.completion().toCompletableFuture().isDone()) {
            return;
        }
        if (console.showsStatus()) {
            bars.put(t, bar(t, done, total));
            showBars();
            return;
        }
        int quarter = total == 0 ? 4 : (int) (4 * done / total);
        Integer before = quarters.put(t, quarter);
        if (quarter > 0 && quarter < 4 && (before == null || before < quarter)) {
            console.println("* " + direction(t) + ": " + 25 * quarter + "% (" + size(done) + " of "
                    + size(total) + ")");
        }
    }

    private void showBars() {
        List<String> lines;
        synchronized (bars) {
            lines = new ArrayList<>(bars.values());
        }
        console.status(lines);
    }

    /** Prints how a transfer ended, once, and removes its bar. */
    private void follow(FileTransfer t) {
        t.completion().whenCompleteAsync((stored, failure) -> {
            bars.remove(t);
            quarters.remove(t);
            if (console.showsStatus()) {
                showBars();
            }
            console.println(failure == null ? done(t, stored) : failed(t, failure));
        }, reports);
    }

    private static String done(FileTransfer t, Path stored) {
        String name = Printable.of(t.fileName());
        String peer = Printable.of(t.peer());
        return t.direction() == FileTransfer.Direction.OUTGOING
                ? "* " + peer + " has " + name + " (" + size(t.size()) + ", SHA-256 checked)"
                : "* received " + name + " from " + peer + " (" + size(t.size())
                        + ", SHA-256 checked): " + Printable.of(stored.toString());
    }

    private static String failed(FileTransfer t, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String why = cause instanceof P2pChatException ? cause.getMessage() : cause.toString();
        return "! " + direction(t) + ": " + Printable.of(String.valueOf(why).strip());
    }

    private static String direction(FileTransfer t) {
        return Printable.of(t.fileName()) + (t.direction() == FileTransfer.Direction.OUTGOING
                ? " to " : " from ") + Printable.of(t.peer());
    }

    /** {@code report.pdf to bob [########----------------]  33%  8.0 of 24.0 MiB}. */
    static String bar(FileTransfer t, long done, long total) {
        int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        return direction(t) + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", percent) + "  " + size(done) + " of "
                + size(total);
    }

    /** Bytes for people: {@code 512 B}, {@code 3.4 KiB}, {@code 100.0 MiB}, {@code 1.2 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
