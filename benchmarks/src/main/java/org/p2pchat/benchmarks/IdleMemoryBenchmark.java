package org.p2pchat.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;

/**
 * What idle peers keep on the heap (127.0.0.1 only). Each invocation starts a hub and
 * {@value #PEERS} other peers, each of which then sends the hub one message and waits for its
 * acknowledgement, so that every peer holds one link with its connection open and nothing in
 * flight. The heap in use is read after full collections three times: before, once all are
 * started, and once all are linked. The figures are the secondary results (bytes, the mean of the
 * five invocations of the one measured iteration): {@code heapPerIdlePeer}, what a started peer with no link keeps (its directory,
 * store, buffers' objects, counters), and {@code heapPerIdleLink}, what one idle link adds on
 * both sides together (the hub's link to a friend and the friend's link to the hub). The
 * time measured is only how long the setting up took. Direct buffers (NIO's read and write
 * buffers) and thread stacks are not heap, and not counted.
 *
 * <pre>
 *   benchmarks/run.sh IdleMemoryBenchmark
 * </pre>
 */
// The serial collector: a full collection leaves exactly what is reachable, where G1's heap in
// use after System.gc() varies by a region or so between runs.
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseSerialGC"})
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 1, batchSize = 5)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IdleMemoryBenchmark {
    /** Peers besides the hub. */
    static final int PEERS = 40;
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The figures of one invocation, reported by JMH beside its time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        /** Bytes a started peer keeps on the heap with no link. */
        public double heapPerIdlePeer;
        /** Bytes one idle link keeps, both ends together. */
        public double heapPerIdleLink;
        private int invocations;

        /** JMH zeroes the counters before each iteration, and sums them over iterations. */
        @Setup(Level.Iteration)
        public void reset() {
            invocations = 0;
        }

        void add(double perPeer, double perLink) {
            // The mean of the iteration's invocations (its batch).
            invocations++;
            heapPerIdlePeer += (perPeer - heapPerIdlePeer) / invocations;
            heapPerIdleLink += (perLink - heapPerIdleLink) / invocations;
        }
    }

    @Benchmark
    public void idlePeers(Heap heap) throws Exception {
        List<Peer> peers = new ArrayList<>();
        try {
            // The last invocation's peers are gone, threads and all, before anything is counted.
            awaitNoPeerThreads();
            long before = usedAfterGc();
            // The hub's friends are listed once they have addresses: as strangers, they would
            // meet its limit on connections from one address.
            Map<String, PeerEntry> friends = new ConcurrentHashMap<>();
            Peer hub = peer("hub", new PeerDirectory() {
                @Override
                public Optional<PeerEntry> lookup(String name) {
                    return Optional.ofNullable(friends.get(name));
                }

                @Override
                public List<PeerEntry> entries() {
                    return List.copyOf(friends.values());
                }
            });
            peers.add(hub);
            PeerDirectory toHub = PeerDirectory.of(new PeerEntry("hub", hub.listenAddress()));
            for (int i = 0; i < PEERS; i++) {
                Peer p = peer("p" + i, toHub);
                peers.add(p);
                friends.put(p.name(), new PeerEntry(p.name(), p.listenAddress()));
            }
            long started = usedAfterGc();
            for (Peer p : peers.subList(1, peers.size())) {
                p.send("hub", "hello").toCompletableFuture()
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            long linked = usedAfterGc();
            heap.add((started - before) / (PEERS + 1.0), (linked - started) / (double) PEERS);
        } finally {
            for (Peer p : peers) {
                p.close();
            }
        }
    }

    private static Peer peer(String name, PeerDirectory directory) {
        return P2pChat.builder(name)
                .directory(directory)
                .listenOn(PeerAddress.loopback(0))
                .listener(message -> { })
                .start();
    }

    /** Waits (at most {@link #WAIT}) until no thread of a closed peer is left running. */
    private static void awaitNoPeerThreads() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("p2pchat-"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("threads of closed peers still run after " + WAIT);
            }
            Thread.sleep(10);
        }
    }

    /**
     * The least heap in use over several full collections, a moment apart: what closed sockets
     * and buffers hold goes only once their cleaners have run, after a collection found them.
     */
    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
            Thread.sleep(20);
        }
        return used;
    }
}
