package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.core.internal.room.RoomFixtures.ROOM;
import static org.p2pchat.core.internal.room.RoomFixtures.joined;
import static org.p2pchat.core.internal.room.RoomFixtures.keys;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.core.internal.session.Ed25519;

/**
 * One origin's messages relayed by two members at once, on two threads as the node runs the
 * senders' lanes: the listener still hears them in the origin's order. The first delivery is
 * held inside its forwarding (a slow link), which is where a second sender's lane could overtake
 * it if deliveries ran in the senders' lanes. Real threads, no sleeps: latches with timeouts.
 */
class RoomDeliveryOrderTest {
    private static final long INC = 1_700_000_000_000L;
    private final Map<Object, ExecutorService> lanes = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final List<Long> heard = new CopyOnWriteArrayList<>();
    private final CountDownLatch forwardingFirst = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    @AfterEach
    void stop() {
        releaseFirst.countDown();
        lanes.values().forEach(ExecutorService::shutdownNow);
        timer.shutdownNow();
    }

    private final RoomNet net = new RoomNet() {
        private final Ed25519.Keys self = keys(10);
        private final org.p2pchat.spi.MessageStore store =
                new org.p2pchat.core.internal.store.MemoryStore();

        @Override
        public String selfName() {
            return "self";
        }

        @Override
        public PeerAddress selfAddress() {
            return RoomFixtures.address(10);
        }

        @Override
        public PeerKey selfKey() {
            return Ed25519.peerKeyOf(self.publicKey());
        }

        @Override
        public Ed25519.Keys signer() {
            return self;
        }

        @Override
        public CompletionStage<Void> send(PeerKey member, String label, PeerAddress address,
                byte kind, byte[] body) {
            if (kind == KIND_POST && RoomPost.read(body.clone()).seq() == 1) {
                forwardingFirst.countDown();
                try {
                    releaseFirst.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<PeerKey> reach(PeerAddress address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean connected(PeerKey key) {
            return true;
        }

        @Override
        public void execute(Object lane, Runnable task) {
            lanes.computeIfAbsent(lane, k -> Executors.newSingleThreadExecutor()).execute(task);
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return INC;
        }

        @Override
        public MessageListener listener() {
            return new MessageListener() {
                @Override
                public void onMessage(org.p2pchat.api.ChatMessage message) {
                }

                @Override
                public void onRoomMessage(RoomMessage message) {
                    heard.add(message.id().seq());
                }
            };
        }

        @Override
        public Duration digestInterval() {
            return Duration.ofHours(1);
        }

        @Override
        public Duration failureTimeout() {
            return Duration.ofHours(1);
        }

        @Override
        public Duration deliveryTimeout() {
            return Duration.ofHours(1);
        }

        @Override
        public org.p2pchat.spi.MessageStore store() {
            return store;
        }

        @Override
        public CatchUpLimits catchUpLimits() {
            return CatchUpLimits.DEFAULT;
        }

        @Override
        public int maxBodyBytes() {
            return 16 * 1024;
        }
    };

    /** Runs a task in a lane and waits for it (and everything queued there before it). */
    private void inLane(Object lane, Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        net.execute(lane, () -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoRelaysOfOneOriginOnTwoThreadsAreHeardInTheOriginsOrder() throws Exception {
        Rooms rooms = new Rooms(net, new Random(1), (room, from, why) -> { });
        ChatRoom room = new ChatRoom(net, rooms, ROOM, "lobby", RoomAccess.OPEN, null, INC);
        PeerKey origin = peerKey(1);
        PeerKey relayX = peerKey(2);
        PeerKey relayY = peerKey(3);
        room.onRecord(origin, joined(1, INC, "origin"));
        room.onRecord(relayX, joined(2, INC, "x"));
        room.onRecord(relayY, joined(3, INC, "y"));
        RoomPost first = RoomPost.sign(ROOM, keys(1), INC, 1, INC, "one".getBytes(
                StandardCharsets.UTF_8));
        RoomPost second = RoomPost.sign(ROOM, keys(1), INC, 2, INC, "two".getBytes(
                StandardCharsets.UTF_8));

        // relay X's lane takes message 1; its forwarding to Y is slow
        net.execute(relayX, () -> room.onPost(relayX, RoomPost.read(first.encoded().clone())));
        assertTrue(forwardingFirst.await(10, TimeUnit.SECONDS), "message 1 is being forwarded");
        // meanwhile relay Y's lane takes message 2
        inLane(relayY, () -> room.onPost(relayY, RoomPost.read(second.encoded().clone())));
        releaseFirst.countDown();
        inLane(relayX, () -> { });
        inLane(room.lane(), () -> { });
        assertEquals(List.of(1L, 2L), heard, "heard out of the origin's order");
    }
}
