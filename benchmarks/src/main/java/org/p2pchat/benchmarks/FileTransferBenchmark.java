package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.core.P2pChat;

/**
 * One file of {@value #FILE_MIB} MiB from A to B on 127.0.0.1, in MiB per second (the score's
 * "ops" are MiB), beside a raw socket copy of the same file in the same run.
 *
 * <ul>
 * <li>{@code raw}: a plain {@code SocketChannel}, the file sent with {@code transferTo} and
 *     written by the receiver with {@code transferFrom} into a new file, forced to disk: the
 *     machine's limit for moving a file between two processes' sockets and a disk.
 * <li>{@code rawSealed}: the same sockets, the file read in 64 KiB chunks, each sealed with the
 *     JDK's ChaCha20-Poly1305 under its own nonce, length-prefixed, opened and written by the
 *     receiver, forced to disk: the machine's limit for an encrypted copy in 64 KiB frames.
 * <li>{@code nio}: {@code a.sendFile("b", file)}, B's listener accepting into a directory, until
 *     A's stage completes: SHA-256 of the file on A before the offer, the offer and acceptance as
 *     acknowledged messages, every chunk read, sealed (ChaCha20-Poly1305), opened, copied to
 *     the file thread, written and hashed on B within a 256 KiB credit, the file forced, checked
 *     and renamed, and B's DONE back to A.
 * </ul>
 *
 * <p>Run: {@code benchmarks/run.sh 'FileTransferBenchmark'}; the received file is deleted after
 * each transfer. Both peers share two cores, so every thread hand-over is in what is measured.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FileTransferBenchmark {
    /** The file's size. */
    public static final int FILE_MIB = 64;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(120);

    /** {@code raw} (the baseline) or the p2pchat transport provider name. */
    @Param({"raw", "rawSealed", "nio"})
    public String transport;

    private Path dir;
    private Path file;
    private Path received;
    private Peer a;
    private Peer b;
    private ServerSocketChannel rawServer;

    /** Writes the file and opens the peers or the raw listener. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("p2pchat-files-bench");
        file = dir.resolve("payload.bin");
        received = Files.createDirectories(dir.resolve("received"));
        byte[] block = new byte[1 << 20];
        Random random = new Random(1);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < FILE_MIB; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        if (transport.startsWith("raw")) {
            rawServer = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return;
        }
        b = P2pChat.builder("b").transport(transport).listenOn(PeerAddress.loopback(0))
                .idleTimeout(Duration.ZERO).listener(new MessageListener() {
                    @Override
                    public void onMessage(ChatMessage message) {
                    }

                    @Override
                    public void onFileOffer(FileOffer offer) {
                        offer.accept(received);
                    }
                }).start();
        a = P2pChat.builder("a").transport(transport).listenOn(PeerAddress.loopback(0))
                .idleTimeout(Duration.ZERO)
                .directory(PeerDirectory.of(new PeerEntry("b", b.listenAddress())))
                .start();
    }

    /** Closes everything and deletes the files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (a != null) {
            a.close();
            b.close();
        }
        if (rawServer != null) {
            rawServer.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One transfer of the whole file; returns once the receiver has it. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(FILE_MIB)
    public void transfer() throws Exception {
        Path stored = transport.equals("raw") ? rawCopy()
                : transport.equals("rawSealed") ? sealedCopy()
                : a.sendFile("b", file).completion().toCompletableFuture()
                        .get(TRANSFER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (transport.startsWith("raw")) {
            Files.delete(stored);
        } else {
            // The sender's stage completes with its own file; the receiver's copy has its name.
            Files.delete(received.resolve(stored.getFileName()));
        }
    }

    private static final int SEALED_CHUNK = 64 << 10;

    /** The file in sealed 64 KiB frames into a new file, on a receiving thread of its own. */
    private Path sealedCopy() throws Exception {
        Path target = received.resolve("payload.bin");
        long size = Files.size(file);
        byte[] key = new byte[32];
        Thread receiver = new Thread(() -> {
            FrameCipher opener = FrameCipher.opener(key);
            ByteBuffer frame = ByteBuffer.allocate(SEALED_CHUNK + FrameCipher.TAG_BYTES);
            byte[] plain = new byte[SEALED_CHUNK];
            ByteBuffer length = ByteBuffer.allocate(4);
            try (SocketChannel in = rawServer.accept();
                    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                for (long done = 0; done < size; ) {
                    readFully(in, length.clear());
                    readFully(in, frame.clear().limit(length.flip().getInt()));
                    int n = opener.apply(frame.array(), 0, frame.limit(), plain, 0);
                    ByteBuffer data = ByteBuffer.wrap(plain, 0, n);
                    while (data.hasRemaining()) {
                        done += out.write(data, done);
                    }
                }
                out.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "sealed-file-receiver");
        receiver.start();
        FrameCipher sealer = FrameCipher.sealer(key);
        ByteBuffer chunk = ByteBuffer.allocate(SEALED_CHUNK);
        ByteBuffer frame = ByteBuffer.allocate(4 + SEALED_CHUNK + FrameCipher.TAG_BYTES);
        try (SocketChannel outSocket = SocketChannel.open(rawServer.getLocalAddress());
                FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long done = 0; done < size; ) {
                chunk.clear();
                while (chunk.hasRemaining() && done + chunk.position() < size) {
                    in.read(chunk, done + chunk.position());
                }
                int n = chunk.position();
                int sealed = sealer.apply(chunk.array(), 0, n, frame.array(), 4);
                frame.clear().putInt(0, sealed).limit(4 + sealed);
                while (frame.hasRemaining()) {
                    outSocket.write(frame);
                }
                done += n;
            }
        }
        receiver.join(TRANSFER_TIMEOUT.toMillis());
        return target;
    }

    private static void readFully(SocketChannel in, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (in.read(into) < 0) {
                throw new IOException("the sender closed early");
            }
        }
    }

    /** The file over a plain socket into a new file, on a receiving thread of its own. */
    private Path rawCopy() throws Exception {
        Path target = received.resolve("payload.bin");
        long size = Files.size(file);
        Thread receiver = new Thread(() -> {
            try (SocketChannel in = rawServer.accept();
                    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < size) {
                    long n = out.transferFrom(in, done, size - done);
                    if (n <= 0) {
                        throw new IOException("the sender stopped at " + done + " bytes");
                    }
                    done += n;
                }
                out.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "raw-file-receiver");
        receiver.start();
        try (SocketChannel outSocket = SocketChannel.open(rawServer.getLocalAddress());
                FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, outSocket);
            }
        }
        receiver.join(TRANSFER_TIMEOUT.toMillis());
        return target;
    }
}
