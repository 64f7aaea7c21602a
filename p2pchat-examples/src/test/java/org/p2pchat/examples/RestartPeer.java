package org.p2pchat.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;

/**
 * A peer in a child JVM, for the tests that kill it with {@code kill -9}: it listens on its port
 * with its state directory (so the SQLite store), prints {@code READY} and then {@code GOT
 * text} for each message its listener gets, and reads commands from stdin: {@code send N
 * PREFIX} (N messages PREFIX-0... to the friend, then prints {@code FLUSHED N} once they are
 * past their durability point), {@code quit}.
 *
 * <p>Arguments: name, state directory, port, friend's name, friend's port.
 */
final class RestartPeer {
    private RestartPeer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Path state = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        String friend = args[3];
        int friendPort = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PeerDirectory directory = PeerDirectory.of(
                new PeerEntry(name, PeerAddress.loopback(port)),
                new PeerEntry(friend, PeerAddress.loopback(friendPort)));
        try (Peer peer = P2pChat.builder(name).directory(directory).stateDirectory(state)
                .transport("nio").listener(m -> {
                    synchronized (out) {
                        out.println("GOT " + m.text());
                    }
                }).start()) {
            synchronized (out) {
                out.println("READY");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.split(" ");
                if (words[0].equals("quit")) {
                    break;
                }
                if (words[0].equals("send")) {
                    int count = Integer.parseInt(words[1]);
                    for (int i = 0; i < count; i++) {
                        peer.send(friend, words[2] + "-" + i);
                    }
                    CompletionStage<Void> flushed = peer.flush();
                    flushed.toCompletableFuture().get(1, TimeUnit.MINUTES);
                    synchronized (out) {
                        out.println("FLUSHED " + count);
                    }
                }
            }
        }
    }
}
