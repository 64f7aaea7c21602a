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
 * Acknowledged direct messages between two p2pchat peers, A and B, on one machine (127.0.0.1
 * only): the same peers and settings as {@link DirectMessageBenchmark} ({@link PeerLink}), timed
 * until {@code Peer.send}'s stage completes, that is until B has acknowledged the message. The raw
 * baselines have no acknowledgements, so this class has only the p2pchat transports; run it in
 * the same JMH run as {@link DirectMessageBenchmark} and {@code summarize.py} shows each figure
 * beside its unacknowledged counterpart, both as ratios to {@code raw} and {@code rawSealed}:
 * <pre>
 *   benchmarks/run.sh 'DirectMessageBenchmark|AcknowledgedBenchmark'
 * </pre>
 *
 * <p>What is measured, for each {@code payload} (ASCII text of that many bytes) and
 * {@code transport}:
 * <ul>
 * <li>{@link #oneWayAcked}: messages per second from A to B, <i>acknowledged</i>. Each call sends
 *     {@value DirectMessageBenchmark#BATCH} messages and returns once the send stage of every one
 *     of them has completed normally. A keeps at most the same window as {@code oneWay}
 *     outstanding, counted here as sent and not yet acknowledged, and retries a send refused with
 *     {@code OutboxFullException} after half of its outstanding sends have completed. Compared with
 *     {@code oneWay}, this adds the last acknowledgement's trip back and the completion of every
 *     stage, and lets the sender go no further ahead than the acknowledgements allow.
 * <li>{@link #ackRoundTrip}: the acknowledgement round trip. A sends one message and waits for
 *     its stage: B's loop reads the frame and writes an ACK, A's loop reads the ACK and completes
 *     the stage, which wakes the JMH thread. B's listener runs meanwhile on its own thread and is
 *     not waited for. Sampled like {@code roundTrip} (JMH's score is the mean; the summary compares
 *     medians, as for {@code roundTrip}).
 * </ul>
 *
 * <p>Threads: as in {@link DirectMessageBenchmark}. The JMH thread sends and parks; A's send
 * stages are completed on A's event loop, and the JMH thread observes them by polling and
 * waiting ({@link PendingSends}), so measuring them adds no callbacks to the network threads.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class AcknowledgedBenchmark {
    /** The p2pchat transport provider name; the raw baselines have no acknowledgements. */
    @Param({"nio", "nioInline", "local"})
    public String transport;

    /** The size of each message's text, in bytes. */
    @Param({"64", "1024"})
    public int payload;

    private PeerLink link;

    /** Connects A and B, B counting what it receives, and warms the connection. */
    @Setup(Level.Trial)
    public void open() {
        link = PeerLink.open(transport, Payloads.asciiText(payload), false);
    }

    /** Closes both peers, so the fork exits cleanly. */
    @TearDown(Level.Trial)
    public void close() {
        PeerLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    /**
     * Acknowledged one-way throughput: {@value DirectMessageBenchmark#BATCH} messages from A,
     * returns once every one is acknowledged.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(DirectMessageBenchmark.BATCH)
    public void oneWayAcked() {
        link.sendAllAcknowledged(DirectMessageBenchmark.BATCH);
    }

    /** Acknowledgement round trip: one message from A, until B's acknowledgement completes it. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void ackRoundTrip() {
        link.ackRoundTrip();
    }
}
