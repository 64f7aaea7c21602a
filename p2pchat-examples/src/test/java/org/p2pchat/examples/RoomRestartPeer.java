package org.p2pchat.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.core.P2pChat;

/**
 * A room member in a child JVM, for the tests that kill it with {@code kill -9}: it starts with
 * its state directory (so its identity and the SQLite store), joins the room through the member
 * at a port, prints {@code READY}, then {@code GOT text} for each room message its listener
 * gets, until it reads {@code quit} on stdin.
 *
 * <p>Arguments: name, state directory, room, the member's port.
 */
final class RoomRestartPeer {
    private RoomRestartPeer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Path state = Path.of(args[1]);
        String room = args[2];
        int memberPort = Integer.parseInt(args[3]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        MessageListener listener = new MessageListener() {
            @Override
            public void onMessage(org.p2pchat.api.ChatMessage message) {
                // no direct messages in this test
            }

            @Override
            public void onRoomMessage(RoomMessage m) {
                synchronized (out) {
                    out.println("GOT " + m.text());
                }
            }
        };
        try (Peer peer = P2pChat.builder(name).stateDirectory(state).transport("nio")
                .listenOn(PeerAddress.loopback(0)).listener(listener).start()) {
            peer.joinRoom(room, PeerAddress.loopback(memberPort)).toCompletableFuture()
                    .get(1, TimeUnit.MINUTES);
            synchronized (out) {
                out.println("READY");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("quit")) {
                    break;
                }
            }
        }
    }
}
