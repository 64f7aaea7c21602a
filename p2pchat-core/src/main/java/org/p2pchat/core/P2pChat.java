package org.p2pchat.core;

import org.p2pchat.api.Peer;

/**
 * Where a p2pchat application starts.
 *
 * <pre>{@code
 * PeerDirectory friends = UserInfo.load(Path.of("user_info"));
 * try (Peer alice = P2pChat.builder("alice")
 *         .directory(friends)
 *         .listener(m -> System.out.println(m.from() + ": " + m.text()))
 *         .start()) {
 *     alice.send("bob", "hi").toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe: any thread may build peers, and one JVM may run many.
 */
public final class P2pChat {

    private P2pChat() {
    }

    /**
     * Starts describing a peer. Settings not given to the builder come from {@code p2pchat.*}
     * system properties, then from the defaults (see {@link PeerBuilder}).
     *
     * @param name the peer's name, as it introduces itself to friends
     * @return a builder; call {@link PeerBuilder#start()} to get a running {@link Peer}
     * @throws IllegalArgumentException if the name is not a valid peer name
     */
    public static PeerBuilder builder(String name) {
        return new PeerBuilder(name, System.getProperties());
    }
}
