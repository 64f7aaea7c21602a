package org.p2pchat.core.internal.files;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerKey;

/**
 * A node for {@link FileTransfers} alone: control messages are recorded (and count as
 * acknowledged at once), listener calls run on the calling thread, and offers wait in a queue
 * for the test to decide. Thread-safe.
 */
final class FakeFileNet implements FileNet {
    final List<FileFrames.Control> sent = new CopyOnWriteArrayList<>();
    final BlockingQueue<FileOffer> offers = new LinkedBlockingQueue<>();

    private final MessageListener listener = new MessageListener() {
        @Override
        public void onMessage(org.p2pchat.api.ChatMessage message) {
        }

        @Override
        public void onFileOffer(FileOffer offer) {
            offers.add(offer);
        }
    };

    @Override
    public CompletionStage<Void> send(PeerKey key, byte[] body) {
        sent.add(FileFrames.readControl(body));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> send(String name, byte[] body) {
        sent.add(FileFrames.readControl(body));
        return CompletableFuture.completedFuture(null);
    }

    /** The control messages of one type sent so far. */
    List<FileFrames.Control> sent(byte type) {
        return sent.stream().filter(c -> c.type() == type).toList();
    }

    @Override
    public PeerKey keyOf(String name) {
        return null;
    }

    @Override
    public String labelOf(PeerKey key) {
        return "alice";
    }

    @Override
    public void execute(Object lane, Runnable task) {
        task.run();
    }

    @Override
    public MessageListener listener() {
        return listener;
    }

    @Override
    public int maxFrameBytes() {
        return 1 << 20;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public CompletionStage<Void> connect(PeerKey key) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
    }
}
