package org.p2pchat.store.sqlite.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.concurrent.Semaphore;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.MessageStoreProvider;
import org.p2pchat.spi.OutboxRecord;
import org.p2pchat.spi.StoreWrite;

/**
 * The child of {@link SqliteCrashTest}: opens the store of a directory through
 * {@link ServiceLoader}, as an application would, and writes forever, up to 32 writes in flight,
 * printing {@code committed <n>} for each write whose stage completed, until it is killed.
 *
 * <p>Arguments: the directory and the first number to write. Each write holds a history record
 * {@code m<n>}, an outbox entry numbered n in this process's epoch ({@link #epoch}), and the
 * value {@code last} = n.
 */
public final class CrashWriter {
    /** The conversation every record goes to. */
    static final Conversation CONVERSATION = Conversation.room("crash-room", "crash");
    /** The sender of every record. */
    static final PeerKey KEY = PeerKey.of(new byte[PeerKey.BYTES]);

    private CrashWriter() {
    }

    /**
     * The epoch of the child that starts at a number: each child is a process of its own.
     * Decreasing from child to child, so that an outbox listed by epoch rather than by
     * insertion order shows.
     *
     * @param first the child's first number
     * @return its epoch
     */
    static long epoch(long first) {
        return Long.MAX_VALUE - first;
    }

    /**
     * Writes until killed.
     *
     * @param args the directory and the first number
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        Path directory = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        long epoch = epoch(first);
        MessageStoreProvider provider = ServiceLoader.load(MessageStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("sqlite"))
                .findFirst().orElseThrow();
        MessageStore store = provider.open(directory);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        out.println("ready");
        Semaphore inFlight = new Semaphore(32);
        String padding = "x".repeat(200);
        for (long n = first; ; n++) {
            inFlight.acquire();
            long id = n;
            StoreWrite w = new StoreWrite()
                    .history(new HistoryRecord("m" + id, CONVERSATION, false, "writer", KEY,
                            "crash record " + id + " " + padding, Instant.ofEpochSecond(id),
                            Instant.ofEpochSecond(id), DeliveryState.RECEIVED))
                    .outbox(new OutboxRecord(KEY, epoch, id, (byte) 1, new byte[64],
                            Instant.ofEpochSecond(id), "m" + id))
                    .value("last", Long.toString(id).getBytes(StandardCharsets.US_ASCII));
            store.write(w).whenComplete((ok, e) -> {
                if (e == null) {
                    out.println("committed " + id);
                } else {
                    out.println("failed " + id + " " + e);
                }
                inFlight.release();
            });
        }
    }
}
