package org.p2pchat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.testkit.Await;

/**
 * An attacker on the path flips one bit of one frame between two running peers: of each of the
 * three handshake messages, of the ACCEPT, of both sides' first ACK and of the first DATA. Every
 * case must end the tampered connection, deliver nothing from it, and the message must still
 * arrive exactly once, intact, on the connection alice opens next. (Every bit of every message is
 * flipped at the Noise level in NoiseTamperingTest; here every 5th bit, through the whole peer.)
 */
class TamperedSessionsTest {
    /**
     * Frames before the message can be delivered, in the order the tap sees them: handshake 1, 2,
     * 3, ACCEPT, the two first ACKs (in either order), the DATA.
     */
    private static final int FRAMES = 7;
    private static final int BIT_STEP = 5;

    @Test
    void aFlippedBitAnywhereEndsTheConnectionAndDeliversNothing() throws Exception {
        int[] sizes = frameSizes();
        int cases = 0;
        for (int frame = 0; frame < FRAMES; frame++) {
            for (int bit = frame % BIT_STEP; bit < sizes[frame] * 8; bit += BIT_STEP) {
                runCase(frame, bit);
                cases++;
            }
        }
        assertTrue(cases > 300, "ran " + cases + " cases");
    }

    private static int[] frameSizes() throws Exception {
        WireTap tap = new WireTap();
        try (Pair p = new Pair(tap)) {
            Await.result(p.alice.send("bob", "hello bob"));
            assertEquals("hello bob", p.bobInbox.next().text());
        }
        int[] sizes = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            sizes[i] = tap.frames.get(i).length;
        }
        return sizes;
    }

    private static void runCase(int frame, int bit) throws Exception {
        WireTap tap = new WireTap().flipBit(frame, bit);
        try (Pair p = new Pair(tap)) {
            CompletableFuture<Void> sent = p.alice.send("bob", "hello bob").toCompletableFuture();
            String what = "frame " + frame + " bit " + bit;
            Await.result(sent);
            assertEquals("hello bob", p.bobInbox.next().text(), what);
            assertTrue(tap.connections() >= 2, "the tampered connection was replaced after " + what);
            // A duplicate would arrive before a later message: per-sender order is kept.
            Await.result(p.alice.send("bob", "after"));
            assertEquals("after", p.bobInbox.next().text(), "delivered once after " + what);
        }
    }

    /** Two peers over the tapped local transport. */
    private static final class Pair implements AutoCloseable {
        final Peer alice;
        final Peer bob;
        final Inbox bobInbox = new Inbox();
        private final List<Peer> peers = new ArrayList<>();

        Pair(WireTap tap) {
            MutableDirectory directory = new MutableDirectory();
            bob = P2pChat.builder("bob").transport(tap).listenOn(PeerAddress.loopback(0))
                    .directory(directory).listener(bobInbox).start();
            peers.add(bob);
            directory.put("bob", bob.listenAddress());
            alice = P2pChat.builder("alice").transport(tap).listenOn(PeerAddress.loopback(0))
                    .directory(directory).reconnectDelay(Duration.ofMillis(1)).start();
            peers.add(alice);
        }

        @Override
        public void close() {
            peers.forEach(Peer::close);
        }
    }
}
