package org.p2pchat.core.internal.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.files.FileNet;

/**
 * What a node gives its file transfers: their control messages go on the same numbered,
 * acknowledged links as text (DATA messages of kind 4), found by name or key as sends are, and
 * their callbacks on the listener's serial executor. Thread-safe, as the node is.
 */
final class FileLinks implements FileNet {
    private final ChatNode node;

    FileLinks(ChatNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<Void> send(PeerKey key, byte[] body) {
        String label = node.links().labelOf(key);
        return node.links().sendTo(key, label != null ? label : key.fingerprint(),
                MessageFrames.KIND_FILE, body, null, null);
    }

    @Override
    public CompletionStage<Void> send(String name, byte[] body) {
        Object contact;
        try {
            contact = node.links().contactOf(name);
        } catch (UnknownPeerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return node.links().sendTo(contact, name, MessageFrames.KIND_FILE, body, null, null);
    }

    @Override
    public PeerKey keyOf(String name) {
        return node.peerKey(name).orElse(null);
    }

    @Override
    public String labelOf(PeerKey key) {
        return node.links().labelOf(key);
    }

    @Override
    public void execute(Object lane, Runnable task) {
        node.callbacks().execute(lane, task);
    }

    @Override
    public MessageListener listener() {
        return node.listener();
    }

    @Override
    public int maxFrameBytes() {
        return node.maxFrameBytes();
    }

    @Override
    public long nanoTime() {
        return node.ticker().nanoTime();
    }

    @Override
    public CompletionStage<Void> connect(PeerKey key) {
        String label = node.links().labelOf(key);
        return node.links().connect(key, label != null ? label : key.fingerprint());
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        try {
            node.timer().schedule(task, delayNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The node is closing: its transfers end anyway.
        }
    }
}
