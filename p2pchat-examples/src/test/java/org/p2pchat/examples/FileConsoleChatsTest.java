package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.p2pchat.examples.ChatApp.assertNoErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files between two console chats over nio on 127.0.0.1, typed into through stdin: {@code /send},
 * the numbered offer, {@code /accept} and {@code /reject}, and the lines that say how it ended.
 */
class FileConsoleChatsTest {
    private Path dir;
    private ChatApp alice;
    private ChatApp bob;

    @BeforeEach
    void startAliceAndBob(@TempDir Path dir) throws IOException {
        this.dir = dir;
        int[] ports = FreePorts.pick(2);
        Path table = Files.writeString(dir.resolve("user_info"), "alice 127.0.0.1:" + ports[0]
                + "\nbob   127.0.0.1:" + ports[1] + "\n", StandardCharsets.UTF_8);
        alice = start("alice", table);
        bob = start("bob", table);
        alice.awaitFingerprint();
        bob.awaitFingerprint();
    }

    private ChatApp start(String name, Path table) {
        return ChatApp.start(name, "--user-info", table.toString(), "--state-dir",
                dir.resolve(name + "-state").toString(), "--no-room");
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    private Path file(String name, int bytes) throws IOException {
        byte[] content = new byte[bytes];
        new Random(bytes).nextBytes(content);
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void aFileSentWithSendIsOfferedWithANumberAcceptedWithItAndLandsInDownloads()
            throws IOException {
        Path source = file("big.bin", 8 << 20);

        alice.type("/send bob " + source);
        alice.stdout.awaitLine("* offering big.bin (8.0 MiB) to bob; it goes once bob accepts");
        bob.stdout.awaitLine("* alice offers big.bin (8.0 MiB) - /accept 1 or /reject 1");
        bob.type("/accept 1");

        Path downloads = dir.resolve("bob-state").resolve("downloads");
        bob.stdout.awaitLine("* receiving big.bin from alice into " + downloads);
        alice.stdout.awaitLine("* bob has big.bin (8.0 MiB, SHA-256 checked)");
        bob.stdout.awaitLine("* received big.bin from alice (8.0 MiB, SHA-256 checked): "
                + downloads.resolve("big.bin"));
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(downloads.resolve("big.bin")));
        assertNoErrors(alice, bob);
    }

    @Test
    void anOfferRejectedWithoutANumberIsTheOldestAndTheSenderIsToldWhy() throws IOException {
        Path source = file("small.txt", 1000);

        alice.type("/send bob " + source);
        bob.stdout.awaitLine("* alice offers small.txt (1000 B) - /accept 1 or /reject 1");
        bob.type("/reject");

        bob.stdout.awaitLine("* refused small.txt from alice");
        alice.stdout.awaitLine("! small.txt to bob: bob refused small.txt (DECLINED): bob declined"
                + " the file");
        bob.type("/accept");
        bob.stdout.awaitLine("! no file offer to accept");
    }

    @Test
    void aMissingFileOrOfferNumberGetsAOneLineError() {
        alice.type("/send bob " + dir.resolve("nothing-here.txt"));
        alice.stdout.awaitLine("! no file at " + dir.resolve("nothing-here.txt").toAbsolutePath());
        alice.type("/accept 7");
        alice.stdout.awaitLine("! no file offer numbered 7 to accept");
        alice.type("/send bob");
        alice.stdout.awaitLine("! " + CommandInterpreter.USAGE_SEND);
    }
}
