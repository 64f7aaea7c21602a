package org.p2pchat.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.testkit.Await;

/**
 * The peers of a room test, by name: each started on 127.0.0.1 with a {@link RoomLog} as its
 * listener and the test's settings, and all closed by {@link #close}. The room is
 * {@value #ROOM}, unless a test names another.
 */
final class RoomPeers implements AutoCloseable {
    static final String ROOM = "general";

    private final UnaryOperator<PeerBuilder> settings;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<String, RoomLog> logs = new LinkedHashMap<>();
    private final List<Peer> started = new ArrayList<>();

    /** @param settings applied to the builder of every peer (the transport, timeouts) */
    RoomPeers(UnaryOperator<PeerBuilder> settings) {
        this.settings = settings;
    }

    /**
     * Links that notice a cut connection within a tenth of a second and dial again at once,
     * and peers that close quickly: for tests whose network loses frames or connections.
     */
    static PeerBuilder quickRelinks(PeerBuilder builder) {
        return builder.heartbeatInterval(Duration.ofMillis(100))
                .handshakeTimeout(Duration.ofMillis(500))
                .reconnectDelay(Duration.ofMillis(5))
                .maxReconnectDelay(Duration.ofMillis(50))
                .maxHandshakeRetryDelay(Duration.ofMillis(100))
                .closeLinger(Duration.ofMillis(200));
    }

    Peer start(String name) {
        return start(name, b -> b);
    }

    /** Starts a peer with the test's settings, then {@code more}, which win. */
    Peer start(String name, UnaryOperator<PeerBuilder> more) {
        RoomLog log = new RoomLog(name);
        Peer p = more.apply(settings.apply(P2pChat.builder(name)
                .listenOn(PeerAddress.loopback(0)).listener(log))).start();
        started.add(p);
        peers.put(name, p);
        logs.put(name, log);
        return p;
    }

    /** Starts a peer of each name, in order. */
    void startAll(List<String> names) {
        startAll(names, b -> b);
    }

    void startAll(List<String> names, UnaryOperator<PeerBuilder> more) {
        for (String n : names) {
            start(n, more);
        }
    }

    /** The peer last started under this name. */
    Peer peer(String name) {
        return peers.get(name);
    }

    RoomLog log(String name) {
        return logs.get(name);
    }

    /** The peer's {@value #ROOM}. */
    Room room(String name) {
        return peers.get(name).room(ROOM).orElseThrow();
    }

    /** {@code creator} creates {@value #ROOM}, open to anyone who knows a member's address. */
    Room open(String creator) {
        return peers.get(creator).createRoom(ROOM, RoomAccess.OPEN);
    }

    /** {@code joiner} joins {@value #ROOM} through the address of {@code through}. */
    Room join(String joiner, String through) {
        return join(joiner, ROOM, through);
    }

    Room join(String joiner, String room, String through) {
        return Await.result(peers.get(joiner).joinRoom(room, peers.get(through).listenAddress()));
    }

    /** Waits until each of {@code names} sees all of them, no more, as members of the room. */
    void awaitMembers(List<String> names) {
        for (String n : names) {
            Await.until(n + " sees " + names.size() + " members",
                    () -> room(n).members().size() == names.size());
        }
    }

    /** Closes one peer, which {@link #close} then leaves alone. */
    void close(String name) {
        Peer p = peers.remove(name);
        started.remove(p);
        p.close();
    }

    /**
     * Closes every peer, from a thread of its own for at most 20 seconds: if a deadlock holds
     * the peers' locks, the test has failed already and must not hang the build.
     */
    @Override
    public void close() {
        Thread closer = new Thread(() -> started.forEach(Peer::close), "closer");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
