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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Direct messages between two peers, A and B, on one machine (127.0.0.1 only).
 *
 * <p>How to run (from the repository root):
 * <pre>
 *   mvn -q package -DskipTests -pl benchmarks -am   # builds benchmarks/target/benchmarks.jar
 *   benchmarks/run.sh                    # full suite -&gt; benchmarks/target/jmh-result.json
 *   benchmarks/run.sh quick              # short sanity run
 *   GC=1 benchmarks/run.sh               # adds -prof gc (bytes allocated per message)
 *   PIN=1 benchmarks/run.sh              # whole JVM on one CPU (taskset -c 0)
 *   python3 benchmarks/summarize.py      # Markdown table, p2pchat as ratios to raw
 *
 *   # one case by hand, with any JMH option:
 *   java -jar benchmarks/target/benchmarks.jar 'DirectMessageBenchmark.oneWay' \
 *       -p transport=nio -p payload=64 -prof gc
 * </pre>
 *
 * <p>What is measured, for each {@code payload} (ASCII text of that many bytes) and
 * {@code transport}:
 * <ul>
 * <li>{@link #oneWay}: messages per second from A to B, <i>unacknowledged</i>. Each call sends
 *     {@value #BATCH} messages and returns when B's listener has seen them all, whether or not
 *     B's acknowledgements have reached A yet. p2pchat senders keep at most
 *     {@value PeerLink#MAX_WINDOW} messages outstanding (sent, not yet seen by B; fewer for large
 *     payloads, at most half of the {@value PeerLink#OUTBOX_LIMIT_BYTES}-byte outbox) and, when a
 *     send is refused with {@code OutboxFullException}, wait until half of their unacknowledged
 *     sends have completed and send that message again, as an application would.
 * <li>{@link #roundTrip}: one message A to B, B's listener echoes it, A waits for the echo.
 * </ul>
 * The acknowledged figures, which the raw baselines cannot have, are {@link AcknowledgedBenchmark}:
 * run both together and {@code summarize.py} puts them side by side.
 *
 * <p>Transports: {@code raw} is the baseline, two plain SocketChannels with the same 4-byte length
 * framing and no library (the machine's limit); {@code rawSealed} is the same with every frame
 * sealed by ChaCha20-Poly1305 straight from {@code javax.crypto}, a fresh cipher init and nonce
 * per frame (the machine's limit for encrypted framing); {@code nio} and {@code local} are p2pchat
 * peers over the NIO and the in-JVM transport, every connection a Noise XX session with sealed
 * frames, messages that queue up packed several to a frame; {@code nioInline} is {@code nio} with
 * {@code callbacksOnNetworkThread(true)}, the listeners run on the event loop that read the frame
 * instead of a callback thread of their own. Always read p2pchat figures as ratios
 * to {@code raw} (the cost of everything) and to {@code rawSealed} (the cost beyond the encryption
 * itself) from the same run. {@code rawSealed} seals every message on its own, so where p2pchat
 * packs many small messages into one frame it seals fewer frames and can beat it (a ratio above 1).
 *
 * <p>Comparison libraries, in the same shapes over 127.0.0.1 (ephemeral ports, two endpoints in
 * this JVM), both <i>plaintext and unacknowledged</i>, so compare them with {@code raw}, and with
 * p2pchat only knowing that p2pchat also encrypts and acknowledges: {@code jeromq} is JeroMQ 0.6.0,
 * PUSH/PULL one way and REQ/REP for the round trip, each end with a context of its own
 * ({@link JeroMqLink}, which checks every new connection with a first message and reconnects when
 * JeroMQ's handshake is stuck); {@code netty} is Netty 4.1 on NIO event loops, each message's
 * length and payload in one pooled buffer, a flush per 64 KiB one way and an echo handler for the
 * round trip ({@link NettyLink}). {@link CipherLimitBenchmark} adds the cipher's own ceiling for
 * packed frames.
 *
 * <p>Threads. The JMH thread is A's application thread: it calls {@code send}, often seals and
 * writes the frame itself (when no other thread is flushing A's outbox and the socket takes it at
 * once), and parks while it waits. For p2pchat, each peer also has its transport's event loop and
 * a callback thread. A's loop finishes writes, reads B's acknowledgements, completes A's send
 * stages, and seals the next frame once a write finishes or an acknowledgement opens the window;
 * B's loop reads and opens frames, hands the messages to B's callback thread and writes one
 * acknowledgement per read; B's callback thread runs the listener, which counts (waking the JMH
 * thread once its target is reached) or echoes with {@code b.send}. For {@code raw} and
 * {@code rawSealed}, B is one thread that reads, opens, and counts or echoes. For {@code jeromq},
 * each end has JeroMQ's I/O thread and B a thread that receives and counts or echoes; for
 * {@code netty}, each end has one event loop: A's writes the one-way batches (the JMH thread hands
 * them over and parks), B's decodes and counts or echoes. Everything
 * shares two cores, so every hand-over between threads is part of what is measured.
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} counts the allocation of every thread in
 * the fork (both peers), per message for {@code oneWay} and per round trip (two messages, and
 * their acknowledgements) for {@code roundTrip}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DirectMessageBenchmark {
    /** Messages sent per {@link #oneWay} call. */
    public static final int BATCH = 65_536;

    /**
     * {@code raw} (the baseline), {@code rawSealed} (the encrypted baseline), {@code jeromq} or
     * {@code netty} (comparison libraries, plaintext and unacknowledged), or the p2pchat transport
     * provider name ({@code nioInline}: {@code nio} with the listeners on its event loop).
     */
    @Param({"raw", "rawSealed", "jeromq", "netty", "nio", "nioInline", "local"})
    public String transport;

    /** The size of each message's text, in bytes. */
    @Param({"64", "1024"})
    public int payload;

    private DirectLink link;

    /**
     * Connects A and B for the benchmark about to run: B counts for one-way, echoes for round
     * trips.
     *
     * @param params which benchmark runs
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        boolean echo = params.getBenchmark().endsWith(".roundTrip");
        link = DirectLink.open(transport, payload, echo);
    }

    /** Closes peers, sockets and threads, so the fork exits cleanly. */
    @TearDown(Level.Trial)
    public void close() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    /** One-way throughput: {@value #BATCH} messages from A, returns once B has them all. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void oneWay() {
        link.sendAll(BATCH);
    }

    /** Round-trip latency: one message from A to B and B's echo back to A. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void roundTrip() {
        link.roundTrip();
    }
}
