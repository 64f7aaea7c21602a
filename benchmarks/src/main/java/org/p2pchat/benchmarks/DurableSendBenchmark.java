package org.p2pchat.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acknowledged direct messages over nio with each message stored on both sides, as
 * {@link AcknowledgedBenchmark#oneWayAcked} measures them, once with the in-memory store and once
 * with the SQLite store (WAL, {@code synchronous=NORMAL}, in a temporary state directory per peer):
 * the sender writes each message's history record and outbox entry, and its acknowledgement;
 * the receiver writes each message's history record and receive record before it acknowledges
 * it. The ratio of the two is what durability costs:
 * <pre>
 *   benchmarks/run.sh DurableSendBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DurableSendBenchmark {
    /** The message store of both peers. */
    @Param({"memory", "sqlite"})
    public String store;

    /** The size of each message's text, in bytes. */
    @Param({"64", "1024"})
    public int payload;

    private PeerLink link;

    /** Connects A and B over nio, each on its store, and warms the connection. */
    @Setup(Level.Trial)
    public void open() {
        link = PeerLink.open("nio", Payloads.asciiText(payload), false, store);
    }

    /** Closes both peers and removes their state directories. */
    @TearDown(Level.Trial)
    public void close() {
        PeerLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    /**
     * Acknowledged, stored one-way throughput: {@value DirectMessageBenchmark#BATCH} messages
     * from A, returns once every one is acknowledged (so recorded by B).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(DirectMessageBenchmark.BATCH)
    public void oneWayAckedStored() {
        link.sendAllAcknowledged(DirectMessageBenchmark.BATCH);
    }
}
