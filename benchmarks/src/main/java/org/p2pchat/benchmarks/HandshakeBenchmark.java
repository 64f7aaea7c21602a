package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.internal.link.WireCodec;
import org.p2pchat.core.internal.noise.CipherState;
import org.p2pchat.core.internal.noise.HandshakeXX;
import org.p2pchat.core.internal.noise.X25519;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.TransportOptions;

/**
 * The cost of opening a secure session (127.0.0.1 only). Run and tabulate it like
 * {@link DirectMessageBenchmark}; {@code summarize.py} prints its own table for it.
 *
 * <ul>
 * <li>{@link #handshakeCrypto}: the Noise XX handshake alone, both sides in memory, with
 *     p2pchat's own classes: two ephemeral key pairs, the three messages (HELLO payloads as on
 *     the wire), and the split into transport ciphers. Baseline: {@link #jdkX25519}, one X25519
 *     agreement by the JDK with keys parsed in advance; XX needs two key generations and six
 *     agreements, so about eight of those is the floor.
 * <li>{@link #connectAndFirstMessage}: a new connection from a peer that has none yet to a
 *     long-lived peer B, carrying one 64-byte message: TCP connect, handshake, trust check,
 *     ACCEPT, the sealed message, B's listener. Each invocation uses a sender peer A started just
 *     before it (not timed; it reuses one identity from a state directory, so B trusts it as a
 *     returning friend) and closed just after. Baseline ({@code raw}): a plain SocketChannel
 *     connect and one length-prefixed frame to a thread that accepts and reads it. {@code local}
 *     is the same p2pchat path over the in-JVM transport: the handshake without TCP.
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandshakeBenchmark {
    private static final int MESSAGE_BYTES = 64;

    /** Keys and payloads for the in-memory handshake. */
    @State(Scope.Thread)
    public static class Crypto {
        private final SecureRandom random = new SecureRandom();
        private X25519.Keys initiatorStatic;
        private X25519.Keys responderStatic;
        private byte[] initiatorHello;
        private byte[] responderHello;
        private KeyAgreement agreement;
        private PublicKey otherPublic;

        /** Creates both sides' static keys and HELLOs, and the baseline's key pair. */
        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            initiatorStatic = X25519.generate(random);
            responderStatic = X25519.generate(random);
            // As ChatNode builds them: a random start epoch and the default frame limit.
            byte[] signingKey = new byte[32];
            random.nextBytes(signingKey);
            initiatorHello = toArray(WireCodec.hello("a", PeerAddress.loopback(40001),
                    random.nextLong(), TransportOptions.DEFAULT_MAX_FRAME_BYTES, signingKey));
            responderHello = toArray(WireCodec.hello("b", PeerAddress.loopback(40002),
                    random.nextLong(), TransportOptions.DEFAULT_MAX_FRAME_BYTES, signingKey));
            KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
            g.initialize(NamedParameterSpec.X25519, random);
            KeyPair mine = g.generateKeyPair();
            otherPublic = g.generateKeyPair().getPublic();
            agreement = KeyAgreement.getInstance("XDH");
            agreement.init(mine.getPrivate());
        }

        private static byte[] toArray(ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            return a;
        }
    }

    /** A full XX handshake, both sides in memory: µs per handshake (both sides' work). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void handshakeCrypto(Crypto c, Blackhole bh) {
        HandshakeXX initiator = new HandshakeXX(true, SecureChannel.PROLOGUE, c.initiatorStatic,
                X25519.generate(c.random));
        HandshakeXX responder = new HandshakeXX(false, SecureChannel.PROLOGUE, c.responderStatic,
                X25519.generate(c.random));
        responder.readMessage(initiator.writeMessage(new byte[0]));
        bh.consume(initiator.readMessage(responder.writeMessage(c.responderHello)));
        bh.consume(responder.readMessage(initiator.writeMessage(c.initiatorHello)));
        CipherState[] i = initiator.split();
        CipherState[] r = responder.split();
        bh.consume(i);
        bh.consume(r);
    }

    /** The baseline unit: one X25519 agreement by the JDK, keys parsed in advance. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] jdkX25519(Crypto c) throws GeneralSecurityException {
        c.agreement.doPhase(c.otherPublic, true);
        return c.agreement.generateSecret();
    }

    /** B, long-lived, and per invocation a fresh A (or a fresh raw socket). */
    @State(Scope.Benchmark)
    public static class Connect {
        /** {@code raw} (the baseline), or the p2pchat transport provider name. */
        @Param({"raw", "nio", "local"})
        public String transport;

        private final Arrivals atB = new Arrivals("first messages seen by b");
        private final String text = Payloads.asciiText(MESSAGE_BYTES);
        private Path state;
        private PeerDirectory directory;
        private Peer b;
        private Peer a;
        private RawAcceptor acceptor;
        private SocketChannel client;
        private ByteBuffer frame;

        /** Starts B (or the raw acceptor) and makes A's identity, so A is B's friend from now on. */
        @Setup(Level.Trial)
        public void startB() throws IOException {
            if (DirectLink.RAW.equals(transport)) {
                acceptor = RawAcceptor.start(atB);
                byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
                frame = ByteBuffer.allocateDirect(Integer.BYTES + payload.length)
                        .putInt(payload.length).put(payload).flip();
                return;
            }
            state = Files.createTempDirectory("p2pchat-handshake-bench");
            // A connects hundreds of times a second from 127.0.0.1, a stranger's source to B:
            // B's admission would refuse past 20 a second, and the figure would be its backoff.
            b = P2pChat.builder("b").transport(transport).listenOn(PeerAddress.loopback(0))
                    .handshakeRate(1_000_000).listener(this::countAtB).start();
            directory = PeerDirectory.of(new PeerEntry("b", b.listenAddress()));
            startA();
            connectAndSend(); // A's first contact: B trusts its key and remembers it
            closeA();
        }

        private void countAtB(ChatMessage message) {
            atB.add(1);
        }

        /** Not timed: a new A with no connection yet. */
        @Setup(Level.Invocation)
        public void startA() {
            if (b != null) {
                a = P2pChat.builder("a").transport(transport).listenOn(PeerAddress.loopback(0))
                        .directory(directory).stateDirectory(state).start();
            }
        }

        void connectAndSend() {
            long expected = atB.get() + 1;
            if (b == null) {
                try {
                    client = SocketChannel.open(acceptor.address());
                    client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    frame.rewind();
                    while (frame.hasRemaining()) {
                        client.write(frame);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("raw connect failed", e);
                }
            } else {
                CompletableFuture<Void> sent = a.send("b", text).toCompletableFuture();
                if (sent.isCompletedExceptionally()) {
                    try {
                        sent.join();
                    } catch (CompletionException e) {
                        throw new IllegalStateException(transport + " send failed", e.getCause());
                    }
                }
            }
            atB.awaitAtLeast(expected);
        }

        /** Not timed: closes A (or the raw socket) and with it the connection. */
        @TearDown(Level.Invocation)
        public void closeA() throws IOException {
            if (a != null) {
                a.close();
                a = null;
            }
            if (client != null) {
                client.close();
                client = null;
            }
        }

        /** Closes B or the acceptor and deletes A's state directory. */
        @TearDown(Level.Trial)
        public void stopB() throws IOException {
            closeA();
            if (b != null) {
                b.close();
                b = null;
            }
            if (acceptor != null) {
                acceptor.close();
                acceptor = null;
            }
            if (state != null) {
                try (Stream<Path> files = Files.walk(state)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                state = null;
            }
        }
    }

    /**
     * A new secure session and its first message: µs from A's send to B's listener, A having no
     * connection to B before.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void connectAndFirstMessage(Connect c) {
        c.connectAndSend();
    }
}
