package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.MessageStoreProvider;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.StoreWrite;

/**
 * Writes per second through a {@link MessageStore}: each write one history record (64 bytes of
 * text, in one of 8 conversations), with {@code inFlight} writes outstanding at most, each call
 * returning once its {@value #BATCH} writes' stages have all completed.
 *
 * <p>{@code shape}: {@code history} (the record alone, as a received message's) or {@code sent}
 * (as a sent message's: the record, its outbox entry, and the acknowledgement of the entry
 * written before it, so the outbox stays one entry long).
 *
 * <p>{@code store}: {@code memory} (the in-memory store: applied under a lock, no disk),
 * {@code sqlite} ({@code synchronous=NORMAL}: durable against a process crash) and
 * {@code sqlite-full} ({@code synchronous=FULL}: one fsync per group commit, durable against a
 * power loss). With 1 in flight every write is its own transaction; with more, the SQLite
 * writer thread commits every write waiting as one transaction (group commit), which is what
 * lets a durable peer keep most of its throughput. Its database lives in a fresh directory
 * under {@code java.io.tmpdir}: the disk there is what is measured.
 * <pre>
 *   benchmarks/run.sh quick StoreWriteBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreWriteBenchmark {
    /** Writes per benchmark call. */
    public static final int BATCH = 512;

    /** Which store: {@code memory}, {@code sqlite} or {@code sqlite-full}. */
    @Param({"memory", "sqlite", "sqlite-full"})
    public String store;

    /** What each write holds: {@code history} or {@code sent}. */
    @Param({"history", "sent"})
    public String shape;

    /** The most writes outstanding. */
    @Param({"1", "16", "64"})
    public int inFlight;

    private static final PeerKey KEY = PeerKey.of(new byte[PeerKey.BYTES]);
    private static final String TEXT = Payloads.asciiText(64);
    /** The epoch of the numbering the sent shape's outbox entries carry. */
    private static final long EPOCH = 0x5EED_B0A7L;
    private static final byte[] BODY = new byte[96];

    private Path directory;
    private MessageStore messageStore;
    private Semaphore window;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Conversation[] conversations = new Conversation[8];
    private long next;

    /** Opens the store in a fresh directory. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("p2pchat-store-bench");
        String name = store.startsWith("sqlite") ? "sqlite" : store;
        if (store.equals("sqlite-full")) {
            System.setProperty("p2pchat.storeSync", "full");
        } else {
            System.clearProperty("p2pchat.storeSync");
        }
        MessageStoreProvider provider = ServiceLoader.load(MessageStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals(name)).findFirst()
                .orElseGet(() -> {
                    if (name.equals("memory")) {
                        // Until core lists its memory store under META-INF/services.
                        return new org.p2pchat.core.internal.store.MemoryStoreProvider();
                    }
                    throw new IllegalStateException("no store named " + name);
                });
        messageStore = provider.open(directory);
        window = new Semaphore(inFlight);
        for (int i = 0; i < conversations.length; i++) {
            conversations[i] = Conversation.room("room-" + i, "room " + i);
        }
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        messageStore.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Writes {@value #BATCH} single-record writes, at most {@code inFlight} outstanding, and
     * waits for the last stage.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void write() throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            window.acquire();
            long n = next++;
            HistoryRecord r = new HistoryRecord("m" + n, conversations[(int) (n & 7)], false,
                    "bob", KEY, TEXT, Instant.ofEpochSecond(1_700_000_000L + n), null,
                    DeliveryState.RECEIVED);
            StoreWrite w = new StoreWrite().history(r);
            if (shape.equals("sent")) {
                w.outbox(new OutboxRecord(KEY, EPOCH, n, (byte) 1, BODY, r.sentAt(), r.messageId()))
                        .acknowledged(KEY, EPOCH, n - 1);
            }
            messageStore.write(w).whenComplete((ok, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                window.release();
            });
        }
        window.acquire(inFlight);
        window.release(inFlight);
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("a write failed", e);
        }
    }
}
