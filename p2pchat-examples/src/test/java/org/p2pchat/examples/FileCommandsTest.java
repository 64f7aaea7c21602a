package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.PeerKey;

/** How the console shows sizes and progress bars. */
class FileCommandsTest {
    private static FileTransfer outgoing(String name, String peer, long size) {
        return new FileTransfer() {
            @Override
            public String id() {
                return "id";
            }

            @Override
            public Direction direction() {
                return Direction.OUTGOING;
            }

            @Override
            public String peer() {
                return peer;
            }

            @Override
            public PeerKey peerKey() {
                return null;
            }

            @Override
            public String fileName() {
                return name;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public long bytesDone() {
                return 0;
            }

            @Override
            public CompletionStage<Path> completion() {
                return new CompletableFuture<>();
            }

            @Override
            public void cancel() {
            }
        };
    }

    @Test
    void aBarShowsTheShareDoneAsHashesOfTwentyFourAndThePercentAndSizes() {
        long size = 24L << 20;
        assertEquals("report.pdf to bob [########----------------]  33%  8.0 MiB of 24.0 MiB",
                FileCommands.bar(outgoing("report.pdf", "bob", size), size / 3, size));
        assertEquals("report.pdf to bob [########################] 100%  24.0 MiB of 24.0 MiB",
                FileCommands.bar(outgoing("report.pdf", "bob", size), size, size));
    }

    @Test
    void sizesAreInBytesThenBinaryUnitsWithOneDecimal() {
        assertEquals("0 B", FileCommands.size(0));
        assertEquals("1023 B", FileCommands.size(1023));
        assertEquals("1.0 KiB", FileCommands.size(1024));
        assertEquals("2.4 MiB", FileCommands.size(2_500_000));
        assertEquals("4.0 GiB", FileCommands.size(4L << 30));
    }

    /** A console that keeps what it prints and its status lines. */
    private static final class Screen implements org.p2pchat.examples.console.ChatConsole {
        private final boolean status;
        final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile java.util.List<String> shown = java.util.List.of();

        Screen(boolean status) {
            this.status = status;
        }

        @Override
        public String readLine() {
            return null;
        }

        @Override
        public void println(String line) {
            lines.add(line);
        }

        @Override
        public boolean showsStatus() {
            return status;
        }

        @Override
        public void status(java.util.List<String> now) {
            shown = java.util.List.copyOf(now);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void onATerminalProgressRedrawsOneBarPerTransferInTheStatusLines() {
        Screen screen = new Screen(true);
        FileCommands files = new FileCommands(screen, Path.of("downloads"), Runnable::run);
        long size = 24L << 20;
        FileTransfer report = outgoing("report.pdf", "bob", size);
        FileTransfer photo = outgoing("photo.jpg", "carol", 1024);

        files.progress(report, size / 3, size);
        files.progress(photo, 512, 1024);
        files.progress(report, size / 2, size);

        assertEquals(java.util.List.of(
                "report.pdf to bob [############------------]  50%  12.0 MiB of 24.0 MiB",
                "photo.jpg to carol [############------------]  50%  512 B of 1.0 KiB"),
                screen.shown);
        assertEquals(java.util.List.of(), screen.lines, "nothing printed as lines");
    }

    @Test
    void withoutStatusLinesProgressIsALineAtEachQuarterPassed() {
        Screen screen = new Screen(false);
        FileCommands files = new FileCommands(screen, Path.of("downloads"), Runnable::run);
        FileTransfer t = outgoing("big.bin", "bob", 400);

        for (long done : new long[] {10, 99, 100, 180, 260, 390}) {
            files.progress(t, done, 400);
        }

        assertEquals(java.util.List.of("* big.bin to bob: 25% (100 B of 400 B)",
                "* big.bin to bob: 50% (260 B of 400 B)", "* big.bin to bob: 75% (390 B of 400 B)"),
                screen.lines);
    }
}
