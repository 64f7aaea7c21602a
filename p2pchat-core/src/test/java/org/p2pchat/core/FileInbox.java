package org.p2pchat.core;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.FileOffer;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;

/**
 * The listener of a peer in a file test: it accepts every offer into a directory (or refuses
 * them, or leaves them to the test), keeps what it accepted and every progress call, and answers
 * each text {@code ping ...} with {@code pong ...}, so that a test can time round trips while a
 * file moves. Thread-safe.
 */
final class FileInbox implements MessageListener {
    enum Policy { ACCEPT, REFUSE, HOLD }

    private final Path downloads;
    private volatile Policy policy;
    private final AtomicReference<Peer> self = new AtomicReference<>();
    final BlockingQueue<FileOffer> offers = new LinkedBlockingQueue<>();
    final BlockingQueue<FileTransfer> accepted = new LinkedBlockingQueue<>();
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final List<long[]> progress = new CopyOnWriteArrayList<>();

    FileInbox(Path downloads, Policy policy) {
        this.downloads = downloads;
        this.policy = policy;
    }

    /** The peer this listens for, which answers the pings. */
    FileInbox of(Peer peer) {
        self.set(peer);
        return this;
    }

    void policy(Policy p) {
        policy = p;
    }

    @Override
    public void onMessage(ChatMessage message) {
        if (message.text().startsWith("ping")) {
            self.get().send(message.from(), "pong" + message.text().substring(4));
        } else {
            messages.add(message);
        }
    }

    @Override
    public void onFileOffer(FileOffer offer) {
        offers.add(offer);
        switch (policy) {
            case ACCEPT -> accepted.add(offer.accept(downloads));
            case REFUSE -> offer.refuse();
            case HOLD -> { }
        }
    }

    @Override
    public void onFileProgress(FileTransfer transfer, long bytesDone, long size) {
        progress.add(new long[] {bytesDone, size});
    }
}
