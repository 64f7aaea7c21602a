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
}
