package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.core.P2pChat;

/**
 * Two p2pchat peers, "a" and "b", on 127.0.0.1 over one transport, used the way an application
 * would: A calls {@link Peer#send}, B's {@link org.p2pchat.api.MessageListener} counts each
 * message or echoes it with {@code b.send("a", text)}. B starts first with an empty directory and
 * answers on the connection A opens. A's methods run on the benchmark thread.
 */
final class PeerLink implements DirectLink {
    /** Each connection's write queue limit: the library's default, stated to size the window. */
    static final long WRITE_QUEUE_LIMIT_BYTES = 8L * 1024 * 1024;
    /** The most messages A lets be outstanding (sent and not yet seen by B's listener). */
    static final int MAX_WINDOW = 16 * 1024;
    /**
     * The bytes a frame adds to the text: the transport's length prefix, the type byte and the
     * ChaCha20-Poly1305 tag of the sealed frame.
     */
    private static final int FRAME_OVERHEAD_BYTES = Integer.BYTES + 1 + FrameCipher.TAG_BYTES;

    private final String transport;
    private final String text;
    private final boolean echo;
    private final int window;
    private final Arrivals atB = new Arrivals("messages seen by b's listener");
    private final Arrivals echoesAtA = new Arrivals("echoes seen by a's listener");
    private volatile Peer a;
    private volatile Peer b;
    private long sent;
    private long queueFullRetries;

    private PeerLink(String transport, String text, boolean echo) {
        this.transport = transport;
        this.text = text;
        this.echo = echo;
        long frameBytes = text.length() + FRAME_OVERHEAD_BYTES;
        // Outstanding messages never fill more than half of A's write queue.
        this.window = (int) Math.max(1, Math.min(MAX_WINDOW, WRITE_QUEUE_LIMIT_BYTES / 2 / frameBytes));
    }

    /**
     * Starts both peers and warms the connection with one message.
     *
     * @param transport the p2pchat transport provider name
     * @param text the message text
     * @param echo true for round trips, false for one-way sends
     * @return the open link
     */
    static PeerLink open(String transport, String text, boolean echo) {
        PeerLink link = new PeerLink(transport, text, echo);
        try {
            link.start();
            return link;
        } catch (RuntimeException | Error e) {
            link.close();
            throw e;
        }
    }

    private void start() {
        b = P2pChat.builder("b")
                .transport(transport)
                .listenOn(PeerAddress.loopback(0))
                .writeQueueLimitBytes(WRITE_QUEUE_LIMIT_BYTES)
                .idleTimeout(Duration.ZERO)
                .listener(echo ? this::echoAtB : this::countAtB)
                .start();
        a = P2pChat.builder("a")
                .transport(transport)
                .listenOn(PeerAddress.loopback(0))
                .directory(PeerDirectory.of(new PeerEntry("b", b.listenAddress())))
                .writeQueueLimitBytes(WRITE_QUEUE_LIMIT_BYTES)
                .idleTimeout(Duration.ZERO)
                .listener(this::countAtA)
                .start();
        if (echo) {
            roundTrip();
        } else {
            sendAll(1);
        }
    }

    private void countAtB(ChatMessage message) {
        atB.add(1);
    }

    private void echoAtB(ChatMessage message) {
        b.send("a", message.text());
    }

    private void countAtA(ChatMessage message) {
        echoesAtA.add(1);
    }

    @Override
    public void sendAll(int messages) {
        if (echo) {
            throw new IllegalStateException("this link echoes; open one for one-way sends");
        }
        Peer sender = a;
        long s = sent;
        long end = s + messages;
        while (s < end) {
            if (s - atB.get() > window) {
                atB.awaitAtLeast(s - window / 2);
            }
            CompletableFuture<Void> written = sender.send("b", text).toCompletableFuture();
            if (written.isCompletedExceptionally()) {
                backOff(written, s);
                continue;
            }
            s++;
        }
        sent = s;
        atB.awaitAtLeast(s);
    }

    /** A send was refused at once: wait for B to drain half of what is outstanding, or fail. */
    private void backOff(CompletableFuture<Void> refused, long sentSoFar) {
        Throwable cause = causeOf(refused);
        if (!(cause instanceof WriteQueueFullException)) {
            throw new IllegalStateException(transport + " send failed", cause);
        }
        queueFullRetries++;
        long received = atB.get();
        atB.awaitAtLeast(received + Math.max(1, (sentSoFar - received) / 2));
    }

    @Override
    public void roundTrip() {
        if (!echo) {
            throw new IllegalStateException("this link counts; open one for round trips");
        }
        long expected = echoesAtA.get() + 1;
        CompletableFuture<Void> written = a.send("b", text).toCompletableFuture();
        if (written.isCompletedExceptionally()) {
            throw new IllegalStateException(transport + " send failed", causeOf(written));
        }
        echoesAtA.awaitAtLeast(expected);
    }

    private static Throwable causeOf(CompletableFuture<Void> failed) {
        try {
            failed.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Override
    public void close() {
        if (queueFullRetries > 0) {
            System.out.println("[" + transport + "] sends refused with WriteQueueFullException and"
                    + " retried: " + queueFullRetries);
        }
        Peer sender = a;
        Peer receiver = b;
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }
}
