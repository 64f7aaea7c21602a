package org.p2pchat.benchmarks;

import java.security.SecureRandom;
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
import org.p2pchat.core.internal.session.Ed25519;

/**
 * Room fan-out: five p2pchat peers on one machine (127.0.0.1 only, {@code nio}), all members of
 * one open room, one of them (A) publishing ({@link RoomMesh}).
 *
 * <p>How to run (from the repository root), in the same JMH run as the direct-message figures
 * and the {@code raw} baseline they are read against:
 * <pre>
 *   mvn -q package -DskipTests -pl benchmarks -am     # builds benchmarks/target/benchmarks.jar
 *   benchmarks/run.sh 'DirectMessageBenchmark|AcknowledgedBenchmark|RoomFanoutBenchmark' \
 *       -p transport=raw,rawSealed,nio
 *   benchmarks/run.sh quick 'RoomFanoutBenchmark'      # short sanity run
 *
 *   # one case by hand, with any JMH option:
 *   java -jar benchmarks/target/benchmarks.jar 'RoomFanoutBenchmark.fanout' -p payload=64 -prof gc
 * </pre>
 *
 * <p>What is measured, for each {@code payload} (ASCII text of that many bytes):
 * <ul>
 * <li>{@link #fanout}: messages per second published by A and delivered to every other member:
 *     an operation is one message that all four other members' listeners have. Each call
 *     publishes {@value #BATCH} messages and returns once the four listeners have them all. A
 *     keeps at most {@code inFlight} messages published and not yet delivered to all four (then
 *     waits until all have caught up to half of it), and checks every publish stage.
 * <li>{@link #publishToLastDelivery}: one message, from {@code publish()} to the moment the last
 *     of the four listeners has it (the JMH thread, parked, is woken by that listener). Before
 *     each sample, untimed, the mesh is drained ({@link Quiet}), so exactly one message is in
 *     flight.
 * <li>{@link #ed25519Sign}, {@link #ed25519Verify}: the floor. Every room message is signed by
 *     its origin (on the publishing thread, inside {@code publish}) and verified once by each
 *     member that receives it (duplicates relayed by other members are dropped before the
 *     check): one sign and four verifies per message here, on two cores. These call the JDK's
 *     {@code Signature "Ed25519"} exactly as p2pchat does ({@code internal.session.Ed25519}: a new
 *     {@code Signature} per call, and for verify a {@code KeyFactory} parse of the raw key), over
 *     a message of the signed size (payload plus about 80 bytes of header).
 * </ul>
 *
 * <p>What one message costs the mesh. A sends a sealed copy to each of the four members; each
 * member that has not seen it checks the signature, hands it to its listener, and forwards it to
 * the three members other than A and the one it came from, who drop it as a copy. That is 16
 * frames over 20 connections (each acknowledged), one sign and four verifies. Every peer has its
 * own event loop, callback thread (where room messages are verified and listeners run) and timer:
 * fifteen threads on two cores, plus the JMH thread that signs. Compare with
 * {@link DirectMessageBenchmark} and its {@code raw} baseline from the same run.
 *
 * <p>Nothing leaks between iterations: after each one, the mesh is drained (every publish stage
 * completed, and every peer's outbox to every other member empty, so the forwarded copies are
 * acknowledged too); the peers close at the trial's end. Within a {@link #fanout} iteration, the
 * forwarded copies of one call overlap the next call, as they would in steady use.
 */
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class RoomFanoutBenchmark {
    /** Messages published per {@link #fanout} call. */
    public static final int BATCH = 256;

    /** The five peers and their room. */
    @State(Scope.Benchmark)
    public static class Mesh {
        /** The size of each message's text, in bytes. */
        @Param({"64", "1024"})
        public int payload;

        /** The most messages published and not yet delivered to every member, for {@link #fanout}. */
        @Param({"64"})
        public int inFlight;

        private RoomMesh mesh;

        /** Starts the five peers, joins them all and sends one message through the room. */
        @Setup(Level.Trial)
        public void open() {
            mesh = RoomMesh.open(Payloads.asciiText(payload), inFlight);
        }

        /** Not timed: nothing of this iteration is still in flight when the next one starts. */
        @TearDown(Level.Iteration)
        public void drain() {
            if (mesh != null) {
                mesh.drain();
            }
        }

        /** Closes the five peers, so the fork exits cleanly. */
        @TearDown(Level.Trial)
        public void close() {
            RoomMesh m = mesh;
            mesh = null;
            if (m != null) {
                m.close();
            }
        }
    }

    /** Drains the mesh before each latency sample, untimed, so one message is in flight. */
    @State(Scope.Thread)
    public static class Quiet {
        /**
         * Waits until the previous sample's message and its forwarded copies are acknowledged.
         *
         * @param mesh the mesh
         */
        @Setup(Level.Invocation)
        public void drain(Mesh mesh) {
            mesh.mesh.drain();
        }
    }

    /** A signing key and a signed message of the size a room message signs. */
    @State(Scope.Thread)
    public static class Signing {
        /** The size of the text, in bytes; about 80 bytes of header are signed with it. */
        @Param({"64", "1024"})
        public int payload;

        private Ed25519.Keys keys;
        private byte[] publicKey;
        private byte[] message;
        private byte[] signature;

        /** Derives a key pair from a random seed and signs one message. */
        @Setup(Level.Trial)
        public void setUp() {
            SecureRandom random = new SecureRandom();
            byte[] seed = new byte[Ed25519.SEED_BYTES];
            random.nextBytes(seed);
            keys = Ed25519.fromSeed(seed);
            publicKey = keys.publicKey();
            // Domain, room id (16), origin key (32), incarnation, seq, sent at (8 each), text.
            message = new byte[16 + 16 + 32 + 24 + payload];
            random.nextBytes(message);
            signature = keys.sign(message, 0, message.length);
            if (!Ed25519.verify(publicKey, message, 0, message.length, signature)) {
                throw new IllegalStateException("Ed25519 does not verify its own signature");
            }
        }
    }

    /** Room throughput: {@value #BATCH} messages from A, returns once B to E have them all. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void fanout(Mesh mesh) {
        mesh.mesh.publishAll(BATCH);
    }

    /**
     * Publish-to-last-delivery latency: one message from A, until the last of B to E has it.
     *
     * @param mesh the mesh
     * @param quiet drains the mesh before each sample
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void publishToLastDelivery(Mesh mesh, Quiet quiet) {
        mesh.mesh.publishAndAwaitLast();
    }

    /**
     * One Ed25519 signature, as {@code Room.publish} makes it.
     *
     * @param s the key and message
     * @return the signature
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] ed25519Sign(Signing s) {
        return s.keys.sign(s.message, 0, s.message.length);
    }

    /**
     * One Ed25519 verification, as each receiving member makes it.
     *
     * @param s the key, message and signature
     * @return whether it holds (always true)
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean ed25519Verify(Signing s) {
        return Ed25519.verify(s.publicKey, s.message, 0, s.message.length, s.signature);
    }
}
