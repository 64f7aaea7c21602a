package org.p2pchat.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.node.ChatNode;

/**
 * The peer under attack in {@link MemoryFloodTest}, run in a child JVM with a small heap: bob,
 * whose table lists alice, with a listener that spends some CPU on every stranger's message (so
 * that strangers' messages pile up for it) and prints alice's. Prints {@code LISTENING port}, then
 * {@code ALICE text} for each of alice's messages, and {@code HELD bytes LIMIT bytes} for each
 * line read from stdin; ends at the end of stdin. An OutOfMemoryError anywhere ends it with exit
 * code 3.
 */
public final class FloodedPeer {
    private FloodedPeer() {
    }

    /**
     * Runs bob.
     *
     * @param args alice's address ({@code host:port})
     * @throws Exception if bob cannot start
     */
    public static void main(String[] args) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof OutOfMemoryError) {
                System.out.println("OOM in " + t.getName());
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        });
        MutableDirectory table = new MutableDirectory().put("alice", PeerAddress.parse(args[0]));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ChatNode bob = (ChatNode) P2pChat.builder("bob").transport("nio")
                .listenOn(PeerAddress.loopback(0)).directory(table)
                .listener(m -> {
                    if (m.from().equals("alice")) {
                        System.out.println("ALICE " + m.text());
                        System.out.flush();
                    } else {
                        slowly(digest);
                    }
                }).start();
        System.out.println("LISTENING " + bob.listenAddress().port());
        System.out.flush();
        long limit = Long.parseLong(System.getProperty("p2pchat.inboundMemoryBytes",
                Long.toString(Runtime.getRuntime().maxMemory() / 8)));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        try (bob) {
            while (in.readLine() != null) {
                System.out.println("HELD " + bob.probe().inboundMemoryUsed() + " LIMIT " + limit);
                System.out.flush();
            }
        } catch (IOException e) {
            System.exit(2);
        }
    }

    /** Some work per stranger's message, so that the listener falls behind. */
    private static void slowly(MessageDigest digest) {
        byte[] b = new byte[64];
        for (int i = 0; i < 2_000; i++) {
            b = digest.digest(b);
        }
    }
}
