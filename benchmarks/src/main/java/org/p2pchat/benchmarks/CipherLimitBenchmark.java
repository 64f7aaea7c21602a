package org.p2pchat.benchmarks;

import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The packed cipher limit: the most messages per second encrypted chat could reach on this JDK and
 * CPU if the only cost were sealing messages packed into frames of up to 64 KiB
 * ({@value #FRAME_BYTES} bytes of plaintext, as p2pchat packs them) with ChaCha20-Poly1305 from
 * {@code javax.crypto}, a fresh {@code Cipher.init} and nonce per frame ({@link FrameCipher}, as
 * {@code rawSealed} and p2pchat do). Each message counts its payload and a 4-byte length prefix,
 * so a frame holds {@value #MESSAGES_PER_FRAME_64} messages of 64 B or
 * {@value #MESSAGES_PER_FRAME_1024} of 1 KiB.
 *
 * <p>One operation is one heap-to-heap seal of a packed frame; {@code @OperationsPerInvocation}
 * is the frame's message count, so JMH reports messages per second. Packing (copying the messages
 * in), the network, opening and every other per-message cost are left out: this is a ceiling, not
 * a transport. Read it beside {@link DirectMessageBenchmark}'s {@code raw} from the same run
 * ({@code summarize.py} prints it as the row "cipher limit, packed 64 KiB frames"). There are two
 * methods rather than a {@code payload} parameter because the message count per operation must be
 * a constant.
 *
 * <p>Threads: the JMH benchmark thread only; nothing is started, so there is nothing to stop.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is per message (the cipher's garbage per
 * frame, shared by the frame's messages).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CipherLimitBenchmark {
    /** The largest plaintext of one packed frame, as p2pchat's (64 KiB). */
    public static final int FRAME_BYTES = 64 * 1024;
    /** Messages of 64 B (plus their 4-byte length) that fit one frame. */
    public static final int MESSAGES_PER_FRAME_64 = FRAME_BYTES / (Integer.BYTES + 64);
    /** Messages of 1 KiB (plus their 4-byte length) that fit one frame. */
    public static final int MESSAGES_PER_FRAME_1024 = FRAME_BYTES / (Integer.BYTES + 1024);

    private byte[] frame64;
    private byte[] frame1024;
    private byte[] sealed;
    private FrameCipher sealer;

    /** Packs both frames once and makes the sealer, under a random key. */
    @Setup(Level.Trial)
    public void setUp() {
        frame64 = pack(64, MESSAGES_PER_FRAME_64);
        frame1024 = pack(1024, MESSAGES_PER_FRAME_1024);
        sealed = new byte[FRAME_BYTES + FrameCipher.TAG_BYTES];
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        sealer = FrameCipher.sealer(key);
    }

    /** Messages of {@code payload} bytes packed into one frame: each a 4-byte length, then text. */
    private static byte[] pack(int payload, int messages) {
        byte[] text = Payloads.asciiText(payload).getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[messages * (Integer.BYTES + payload)];
        int at = 0;
        for (int i = 0; i < messages; i++) {
            frame[at++] = (byte) (payload >>> 24);
            frame[at++] = (byte) (payload >>> 16);
            frame[at++] = (byte) (payload >>> 8);
            frame[at++] = (byte) payload;
            System.arraycopy(text, 0, frame, at, payload);
            at += payload;
        }
        return frame;
    }

    /**
     * Seals one frame of {@value #MESSAGES_PER_FRAME_64} messages of 64 B.
     *
     * @return the sealed length, for JMH to consume
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MESSAGES_PER_FRAME_64)
    public int packed64() {
        return sealer.apply(frame64, 0, frame64.length, sealed, 0);
    }

    /**
     * Seals one frame of {@value #MESSAGES_PER_FRAME_1024} messages of 1 KiB.
     *
     * @return the sealed length, for JMH to consume
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MESSAGES_PER_FRAME_1024)
    public int packed1024() {
        return sealer.apply(frame1024, 0, frame1024.length, sealed, 0);
    }
}
