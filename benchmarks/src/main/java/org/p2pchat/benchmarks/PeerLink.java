package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.OutboxFullException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.WriteQueueFullException;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.PeerBuilder;

/**
 * Two p2pchat peers, "a" and "b", on 127.0.0.1 over one transport, used the way an application
 * would: A calls {@link Peer#send}, B's {@link org.p2pchat.api.MessageListener} counts each
 * message or echoes it with {@code b.send("a", text)}. B starts first with an empty directory and
 * answers on the connection A opens. A's methods run on the benchmark thread.
 *
 * <p>{@link Peer#send} completes its stage when B has acknowledged the message. A keeps the stages
 * in a {@link PendingSends} and observes them by polling, so measuring acknowledgements adds no
 * work to the network threads. When a send is refused with {@link OutboxFullException} (too much
 * unacknowledged), A waits until half of its outstanding sends have completed and sends that
 * message again: a message is never dropped, and every wait is bounded.
 */
final class PeerLink implements DirectLink {
    /** Each friend's outbox limit: the library's default, stated to size the windows. */
    static final long OUTBOX_LIMIT_BYTES = 4L * 1024 * 1024;
    /** B's receive window: the library's default, stated; it is not the limit here. */
    static final long RECEIVE_WINDOW_BYTES = 4L * 1024 * 1024;
    /** What the outbox and the receive window count per message beyond its UTF-8 bytes. */
    static final int MESSAGE_OVERHEAD_BYTES = 32;
    /** The most messages A lets be outstanding. */
    static final int MAX_WINDOW = 16 * 1024;
    /**
     * Shorter than the library's 30 s, so a message the library gives up on fails with its own
     * {@code DeliveryTimeoutException} before {@link PendingSends#WAIT_SECONDS} runs out. It
     * changes nothing while acknowledgements flow.
     */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    /** The {@code nio} transport with the listeners on the network thread (callbacksOnNetworkThread). */
    static final String NIO_INLINE = "nioInline";

    private final String transport;
    /** The message store's provider name; {@code sqlite} keeps its files under {@link #state}. */
    private final String store;
    private final java.nio.file.Path state;
    private final String text;
    private final boolean echo;
    private final int window;
    private final Arrivals atB = new Arrivals("messages seen by b's listener");
    private final Arrivals echoesAtA = new Arrivals("echoes seen by a's listener");
    private final PendingSends pending;
    private volatile Peer a;
    private volatile Peer b;
    private long outboxFullRetries;
    /** The last send was refused when every earlier one had been acknowledged already. */
    private boolean refusedWithNothingOutstanding;
    private long fullRecordWaits;

    private PeerLink(String transport, String text, boolean echo, String store) {
        this.transport = transport;
        this.store = store;
        try {
            this.state = store.equals("memory") ? null
                    : java.nio.file.Files.createTempDirectory("p2pchat-bench-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.text = text;
        this.echo = echo;
        // ASCII text: as many UTF-8 bytes as chars.
        long units = text.length() + MESSAGE_OVERHEAD_BYTES;
        // Outstanding messages never fill more than half of A's outbox.
        this.window = (int) Math.max(1, Math.min(MAX_WINDOW, OUTBOX_LIMIT_BYTES / 2 / units));
        // Room for every message the outbox can hold, so the outbox limit is the one that bites.
        this.pending = new PendingSends(transport + " sends from a to b",
                (int) (OUTBOX_LIMIT_BYTES / units) + 1);
    }

    /**
     * Starts both peers and warms the connection with one message (and its acknowledgement).
     *
     * @param transport the p2pchat transport provider name
     * @param text the message text
     * @param echo true for round trips, false for one-way sends
     * @return the open link
     */
    static PeerLink open(String transport, String text, boolean echo) {
        return open(transport, text, echo, "memory");
    }

    /**
     * As {@link #open(String, String, boolean)}, with both peers on a message store of this
     * kind: {@code memory}, or {@code sqlite} in a temporary state directory per peer, removed
     * on close.
     */
    static PeerLink open(String transport, String text, boolean echo, String store) {
        PeerLink link = new PeerLink(transport, text, echo, store);
        try {
            link.start();
            return link;
        } catch (RuntimeException | Error e) {
            link.close();
            throw e;
        }
    }

    private void start() {
        b = builder("b")
                .listener(echo ? this::echoAtB : this::countAtB)
                .start();
        a = builder("a")
                .directory(PeerDirectory.of(new PeerEntry("b", b.listenAddress())))
                .listener(this::countAtA)
                .start();
        if (echo) {
            roundTrip();
        } else {
            sendAllAcknowledged(1);
            atB.awaitAtLeast(pending.added());
        }
    }

    /** A peer on 127.0.0.1 with the settings both sides share; connections never idle out. */
    private PeerBuilder builder(String name) {
        PeerBuilder builder = P2pChat.builder(name).store(store);
        if (state != null) {
            builder.stateDirectory(state.resolve(name));
        }
        return builder
                .transport(transport.equals(NIO_INLINE) ? "nio" : transport)
                .callbacksOnNetworkThread(transport.equals(NIO_INLINE))
                .listenOn(PeerAddress.loopback(0))
                .outboxLimitBytes(OUTBOX_LIMIT_BYTES)
                .receiveWindowBytes(RECEIVE_WINDOW_BYTES)
                .deliveryTimeout(DELIVERY_TIMEOUT)
                .idleTimeout(Duration.ZERO);
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

    /**
     * Sends messages from A to B and returns once B's listener has seen them all, whether or not
     * their acknowledgements have reached A yet: the unacknowledged figure. At most the window is
     * outstanding, counted as sent and not yet seen by B.
     */
    @Override
    public void sendAll(int messages) {
        requireCounting();
        send(messages, false);
        atB.awaitAtLeast(pending.added());
    }

    /**
     * Sends messages from A to B and returns once every one of their send stages has completed,
     * that is once B has acknowledged them all. At most the window is outstanding, counted as sent
     * and not yet seen completed by A.
     *
     * @param messages how many to send
     * @throws IllegalStateException if the link echoes, a send fails, or an acknowledgement never
     *     comes
     */
    void sendAllAcknowledged(int messages) {
        requireCounting();
        send(messages, true);
        pending.awaitSettled(pending.added());
    }

    /**
     * Sends one message from A to B and returns once its send stage has completed: B has read it
     * and its acknowledgement has reached A.
     *
     * @throws IllegalStateException if the link echoes, the send fails, or is not acknowledged
     */
    void ackRoundTrip() {
        requireCounting();
        CompletableFuture<Void> sent = a.send("b", text).toCompletableFuture();
        if (sent.isCompletedExceptionally()) {
            throw new IllegalStateException(transport + " send failed", causeOf(sent));
        }
        pending.add(sent);
        pending.awaitSettled(pending.added());
    }

    /** The sending loop of both one-way patterns; {@code acknowledged} picks what bounds it. */
    private void send(int messages, boolean acknowledged) {
        Peer sender = a;
        long s = pending.added();
        long end = s + messages;
        while (s < end) {
            if (acknowledged) {
                if (pending.outstanding() > window) {
                    pending.awaitSettled(s - window / 2);
                }
            } else {
                if (s - atB.get() > window) {
                    atB.awaitAtLeast(s - window / 2);
                }
                if (pending.outstanding() > window) {
                    pending.poll(); // no wait: only forgets the stages already completed
                }
            }
            if (pending.isFull()) {
                pending.poll();
                if (pending.isFull()) {
                    // An outbox's worth unacknowledged: acknowledgements lag far behind B's listener.
                    fullRecordWaits++;
                    pending.awaitHalf();
                }
            }
            CompletableFuture<Void> sent = sender.send("b", text).toCompletableFuture();
            if (sent.isCompletedExceptionally()) {
                backOff(sent);
                continue; // the same message again
            }
            pending.add(sent);
            refusedWithNothingOutstanding = false;
            s++;
        }
    }

    /** A send was refused at once: wait for half of what is outstanding to complete, or fail. */
    private void backOff(CompletableFuture<Void> refused) {
        Throwable cause = causeOf(refused);
        if (cause instanceof WriteQueueFullException) {
            throw new IllegalStateException(transport + ": WriteQueueFullException reached"
                    + " Peer.send; with reliable delivery a full connection should hold messages"
                    + " in the outbox instead", cause);
        }
        if (!(cause instanceof OutboxFullException)) {
            throw new IllegalStateException(transport + " send failed", cause);
        }
        outboxFullRetries++;
        pending.poll();
        if (pending.outstanding() == 0) {
            // Every send was acknowledged between the refusal and now, which made the room: the
            // message goes again at once. Refused again with nothing outstanding is a leak.
            if (refusedWithNothingOutstanding) {
                throw new IllegalStateException(transport + ": the outbox refused a send twice"
                        + " in a row with no send outstanding", cause);
            }
            refusedWithNothingOutstanding = true;
            return;
        }
        pending.awaitHalf();
    }

    @Override
    public void roundTrip() {
        if (!echo) {
            throw new IllegalStateException("this link counts; open one for round trips");
        }
        long expected = echoesAtA.get() + 1;
        CompletableFuture<Void> sent = a.send("b", text).toCompletableFuture();
        if (sent.isCompletedExceptionally()) {
            throw new IllegalStateException(transport + " send failed", causeOf(sent));
        }
        echoesAtA.awaitAtLeast(expected);
    }

    private void requireCounting() {
        if (echo) {
            throw new IllegalStateException("this link echoes; open one for one-way sends");
        }
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
        if (outboxFullRetries > 0 || fullRecordWaits > 0) {
            System.out.println("[" + transport + "] sends refused with OutboxFullException and"
                    + " retried: " + outboxFullRetries + "; waits for acknowledgements with the"
                    + " outbox's worth outstanding: " + fullRecordWaits);
        }
        Peer sender = a;
        Peer receiver = b;
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (state != null) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                System.out.println("could not remove " + state + ": " + e);
            }
        }
    }
}
