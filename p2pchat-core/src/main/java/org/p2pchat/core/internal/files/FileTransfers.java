package org.p2pchat.core.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.FileRefusedException;
import org.p2pchat.api.FileTransfer;
import org.p2pchat.api.FileTransferException;
import org.p2pchat.api.FileTransferException.Reason;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.runtime.NodeThreads;
import org.p2pchat.spi.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's file transfers, both ways: it starts outgoing ones ({@link #send}), hands offers to
 * the listener within the limits on what may arrive, and routes what comes from the network (the
 * control messages of kind 4, the CHUNK and CREDIT frames, connections opening and closing) to the
 * transfer it is about.
 *
 * <p><b>Threading.</b> Thread-safe. The file thread (one per node, {@code p2pchat-NAME-files})
 * does everything that touches a disk or a transfer's state: hashing, reading and writing chunks,
 * verifying, answering offers. The event loop only checks a CHUNK against its transfer's credit
 * and copies it before handing it over, so a slow disk never holds up the network, and nothing
 * it holds for a transfer exceeds the credit granted.
 */
public final class FileTransfers {
    private static final Logger LOG = LoggerFactory.getLogger(FileTransfers.class);
    /** Ended transfers remembered, so that their late chunks and copies are known for stale. */
    private static final int REMEMBERED_ENDED = 1024;

    /** A received transfer is the sender's key and the id it drew. */
    private record InKey(PeerKey key, TransferId id) {
    }

    private final String selfName;
    private final FileNet net;
    private final FileOptions options;
    private final SecureRandom random;
    private final ThreadPoolExecutor worker;
    private final ConcurrentHashMap<TransferId, OutgoingTransfer> outgoing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InKey, IncomingTransfer> incoming = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InKey, PendingOffer> offers = new ConcurrentHashMap<>();
    private final Set<InKey> ended = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InKey, Boolean> eldest) {
                    return size() > REMEMBERED_ENDED;
                }
            }));
    private final ConcurrentHashMap<PeerKey, List<LinkSession>> sessions = new ConcurrentHashMap<>();
    private final AtomicLong chunkBytesSent = new AtomicLong();
    private ByteBuffer chunkBuffer;
    private final ChunkBuffers buffers;
    private TransferJournal journal = TransferJournal.none();
    private volatile boolean closed;

    /**
     * Creates the transfers of a node; its file thread starts with the first task.
     *
     * @param selfName the node's name, for its thread and messages
     * @param net what the node gives
     * @param options the limits
     * @param random draws transfer ids
     */
    public FileTransfers(String selfName, FileNet net, FileOptions options, SecureRandom random) {
        this.selfName = selfName;
        this.net = net;
        this.options = options;
        this.random = random;
        // Enough for every transfer's credit at once, so that chunks make no garbage.
        this.buffers = new ChunkBuffers(options.chunkBytes(),
                options.maxIncomingTotal() * (options.creditBytes() / options.chunkBytes() + 1));
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(() -> {
                        // The node's own thread: a close() called from a stage it completes
                        // must not block it.
                        NodeThreads.enter();
                        task.run();
                    }, "p2pchat-" + selfName + "-files");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Whether a sealed frame type is one of the file lane's.
     *
     * @param type the frame's first byte
     * @return true for CHUNK and CREDIT
     */
    public static boolean isFileFrame(byte type) {
        return type == FileFrames.CHUNK || type == FileFrames.CREDIT;
    }

    // ---- the application's side ----

    /**
     * Offers a file to a peer by name (see {@code Peer.sendFile}).
     *
     * @param name the peer's name
     * @param file the file
     * @return the transfer
     */
    public FileTransfer send(String name, Path file) {
        return start(net.keyOf(name), name, file);
    }

    /**
     * Offers a file to a peer by key.
     *
     * @param key the peer's key
     * @param file the file
     * @return the transfer
     */
    public FileTransfer send(PeerKey key, Path file) {
        String label = net.labelOf(key);
        return start(key, label != null ? label : key.fingerprint(), file);
    }

    private FileTransfer start(PeerKey key, String label, Path file) {
        Path path = file.toAbsolutePath().normalize();
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        long size = -1;
        RuntimeException refusal = null;
        String bad = FileNames.problem(name);
        if (closed) {
            refusal = new PeerClosedException(selfName + " is closing: it sends no new file");
        } else if (bad != null) {
            refusal = new FileTransferException(Reason.BAD_NAME, "cannot offer '" + name + "': "
                    + bad + "; rename the file");
        } else if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            refusal = new FileTransferException(Reason.IO_ERROR, path
                    + " is not a regular file this peer can read");
        } else if (outgoing.size() >= options.maxOutgoing()) {
            refusal = new FileTransferException(Reason.BUSY, selfName + " is sending "
                    + options.maxOutgoing() + " files already; wait for one to end");
        } else {
            try {
                size = Files.size(path);
            } catch (IOException e) {
                refusal = new FileTransferException(Reason.IO_ERROR, "cannot read " + path
                        + ": " + e.getMessage(), e);
            }
        }
        OutgoingTransfer t = new OutgoingTransfer(this, TransferId.random(random), key, label,
                path, name, Math.max(0, size), null);
        if (refusal != null) {
            t.end(refusal, false);
            return t;
        }
        outgoing.put(t.id, t);
        if (!onWorker(t::start)) {
            t.end(new PeerClosedException(selfName + " is closing: it sends no new file"), false);
        }
        return t;
    }

    /** The transfers under way, both ways. */
    public List<FileTransfer> transfers() {
        List<FileTransfer> all = new ArrayList<>(outgoing.values());
        all.addAll(incoming.values());
        return List.copyOf(all);
    }

    /**
     * Remembers outgoing transfers in a store from now on, and offers again those it remembers
     * from before a restart. The node calls it once, when it has its store.
     *
     * @param store the node's store
     */
    public void useStore(MessageStore store) {
        onWorker(() -> {
            journal = new StoreJournal(store);
            for (TransferJournal.Saved s : journal.load()) {
                if (outgoing.containsKey(s.id())) {
                    continue;
                }
                OutgoingTransfer t = new OutgoingTransfer(this, s.id(), s.key(), s.label(),
                        s.path(), s.name(), s.size(), s.sha256());
                outgoing.put(t.id, t);
                LOG.info("{}: offering {} to {} again", selfName, s.name(), s.label());
                t.start();
            }
        });
    }

    /** Any thread: an offer accepted; the file thread opens its partial file. */
    FileTransfer accept(PendingOffer p, Path directory) {
        InKey k = new InKey(p.key, p.offer.id());
        offers.remove(k, p);
        IncomingTransfer t = new IncomingTransfer(this, p.key, p.label, p.offer, directory);
        if (closed) {
            t.abandon(closedFailure(t));
            return t;
        }
        incoming.put(k, t);
        if (!onWorker(() -> open(t))) {
            t.abandon(closedFailure(t));
        }
        return t;
    }

    private void open(IncomingTransfer t) {
        for (IncomingTransfer other : incoming.values()) {
            if (other != t && other.partial.equals(t.partial)) {
                if (!other.key.equals(t.key)) {
                    t.abandon(new FileRefusedException(Reason.BUSY, "the same file is being"
                            + " received from " + other.label + " into " + t.directory));
                    send(t.key, FileFrames.refuse(t.id, Reason.BUSY, "the same file is on its"
                            + " way from another peer"));
                    return;
                }
                // The same sender offers the same file again (it restarted): the new offer
                // takes over the partial file.
                other.abandon(new FileTransferException(Reason.CANCELLED, other.label
                        + " offered " + other.offer.name() + " again; the new transfer resumes"
                        + " this one"));
            }
        }
        t.open(openSession(t.key));
    }

    /** Any thread: an offer refused by the application. */
    void refuse(PendingOffer p) {
        InKey k = new InKey(p.key, p.offer.id());
        offers.remove(k, p);
        ended.add(k);
        send(p.key, FileFrames.refuse(p.offer.id(), Reason.DECLINED, selfName
                + " declined the file"));
    }

    // ---- the network's side ----

    /**
     * Event loop: a control message (kind 4) from a peer. It is handled on the file thread, and
     * {@code consumed} runs once it has been (it reopens the peer's window).
     *
     * @param from the peer's key
     * @param label the name it goes by
     * @param body the message
     * @param consumed what to run when done with it
     */
    public void control(PeerKey from, String label, byte[] body, Runnable consumed) {
        boolean queued = onWorker(() -> {
            try {
                handle(from, label, body);
            } finally {
                consumed.run();
            }
        });
        if (!queued) {
            consumed.run();
        }
    }

    private void handle(PeerKey from, String label, byte[] body) {
        FileFrames.Control c;
        try {
            c = FileFrames.readControl(body);
        } catch (ProtocolException e) {
            // As with rooms: a bad body is dropped and logged, the connection stays.
            LOG.warn("{}: dropped a file message from {}: {}", selfName, label, e.getMessage());
            return;
        }
        switch (c.type()) {
            case FileFrames.OFFER -> offered(from, label, c.offer());
            case FileFrames.ACCEPT -> {
                OutgoingTransfer t = outgoingFrom(from, c.id());
                if (t != null) {
                    t.accepted(c.offset());
                }
            }
            case FileFrames.REFUSE -> {
                OutgoingTransfer t = outgoingFrom(from, c.id());
                if (t != null) {
                    t.refused(c.reason(), c.text());
                }
            }
            case FileFrames.DONE -> {
                OutgoingTransfer t = outgoingFrom(from, c.id());
                if (t != null) {
                    t.delivered();
                }
            }
            default -> failed(from, c);
        }
    }

    private void failed(PeerKey from, FileFrames.Control c) {
        OutgoingTransfer out = outgoingFrom(from, c.id());
        if (out != null) {
            out.failed(c.reason(), c.text());
            return;
        }
        InKey k = new InKey(from, c.id());
        IncomingTransfer in = incoming.get(k);
        if (in != null) {
            in.failedThere(c.reason(), c.text());
            return;
        }
        PendingOffer p = offers.remove(k);
        if (p != null) {
            // Withdrawn before the application decided: its decision now does nothing.
            p.withdraw();
            ended.add(k);
        }
    }

    /** The outgoing transfer of an id, if it is to this peer (binding the key of one not met yet). */
    private OutgoingTransfer outgoingFrom(PeerKey from, TransferId id) {
        OutgoingTransfer t = outgoing.get(id);
        if (t == null) {
            return null;
        }
        if (t.key == null) {
            t.key = from;
            journal.saved(t);
        }
        return t.key.equals(from) ? t : null;
    }

    /** File thread: an OFFER, checked against the name rules and the limits before anyone sees it. */
    private void offered(PeerKey from, String label, FileFrames.Offer offer) {
        InKey k = new InKey(from, offer.id());
        if (incoming.containsKey(k) || offers.containsKey(k) || ended.contains(k)) {
            // A copy: the sender offers again on each new connection, in case this peer restarted.
            return;
        }
        String bad = FileNames.problem(offer.name());
        if (bad != null) {
            refuseOffer(k, Reason.BAD_NAME, "refused the file name: " + bad);
            return;
        }
        if (offer.size() > options.maxFileBytes()) {
            refuseOffer(k, Reason.TOO_LARGE, "takes files of at most " + options.maxFileBytes()
                    + " bytes (p2pchat.maxFileBytes); this one has " + offer.size());
            return;
        }
        long fromPeer = offers.keySet().stream().filter(o -> o.key().equals(from)).count()
                + incoming.keySet().stream().filter(o -> o.key().equals(from)).count();
        if (fromPeer >= options.maxIncomingPerPeer()
                || offers.size() + incoming.size() >= options.maxIncomingTotal()) {
            refuseOffer(k, Reason.BUSY, "has as many files on their way as it takes ("
                    + options.maxIncomingPerPeer() + " from one peer, "
                    + options.maxIncomingTotal() + " in all); offer it again later");
            return;
        }
        PendingOffer p = new PendingOffer(this, from, label, offer);
        offers.put(k, p);
        net.execute(from, () -> net.listener().onFileOffer(p));
    }

    private void refuseOffer(InKey k, Reason reason, String why) {
        LOG.info("{}: refused a file offer from {}: {}", selfName, k.key().fingerprint(), why);
        ended.add(k);
        send(k.key(), FileFrames.refuse(k.id(), reason, selfName + " " + why));
    }

    /**
     * Event loop: a sealed frame of the file lane.
     *
     * @param from the peer's key
     * @param session the connection it came on
     * @param type its type ({@link #isFileFrame})
     * @param plain the frame after its type byte, valid during this call only
     * @throws ProtocolException if it breaks the protocol: the connection closes
     */
    public void frame(PeerKey from, LinkSession session, byte type, ByteBuffer plain) {
        if (type == FileFrames.CHUNK) {
            TransferId id = FileFrames.readChunkId(plain);
            long offset = FileFrames.readChunkOffset(plain);
            InKey k = new InKey(from, id);
            IncomingTransfer t = incoming.get(k);
            if (t == null) {
                if (ended.contains(k)) {
                    return;
                }
                throw new ProtocolException("a chunk of a transfer this peer never accepted");
            }
            ByteBuffer data = t.chunk(session, offset, plain);
            if (data != null) {
                onWorker(() -> t.write(offset, data));
            }
        } else if (type == FileFrames.CREDIT) {
            FileFrames.Credit credit = FileFrames.readCredit(plain);
            onWorker(() -> {
                OutgoingTransfer t = outgoingFrom(from, credit.id());
                if (t == null) {
                    return;
                }
                try {
                    t.credit(session, credit);
                } catch (ProtocolException e) {
                    LOG.warn("{}: closing connection with {}: {}", selfName, t.label,
                            e.getMessage());
                    session.connection().abort(new ConnectionClosedException(
                            ConnectionClosedException.Reason.PROTOCOL_ERROR, e.getMessage(), e));
                }
            });
        } else {
            throw new ProtocolException("unexpected frame of type " + type);
        }
    }

    /**
     * Event loop: a connection to a peer is open and past its first ACK: it may carry a lane.
     *
     * @param key the peer's key
     * @param session the connection
     */
    public void established(PeerKey key, LinkSession session) {
        if (key == null) {
            return;
        }
        sessions.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(session);
        onWorker(() -> {
            for (IncomingTransfer t : incoming.values()) {
                if (t.key.equals(key)) {
                    t.relane(session);
                }
            }
            for (OutgoingTransfer t : outgoing.values()) {
                if (key.equals(t.key)) {
                    t.established();
                }
            }
        });
    }

    /**
     * Event loop: a connection to a peer closed.
     *
     * @param key the peer's key
     * @param session the connection
     */
    public void detached(PeerKey key, LinkSession session) {
        if (key == null) {
            return;
        }
        List<LinkSession> open = sessions.get(key);
        if (open != null) {
            open.remove(session);
        }
        onWorker(() -> {
            LinkSession replacement = openSession(key);
            for (IncomingTransfer t : incoming.values()) {
                if (t.key.equals(key)) {
                    t.detached(session, replacement);
                }
            }
            for (OutgoingTransfer t : outgoing.values()) {
                t.detached(session);
            }
        });
    }

    private LinkSession openSession(PeerKey key) {
        List<LinkSession> open = sessions.get(key);
        if (open != null) {
            for (LinkSession s : open) {
                if (s.isOpen()) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * Ends every transfer (with {@link Reason#CLOSED}, telling no one: each resumes when this
     * peer or its replacement offers or accepts the file again) and stops the file thread,
     * waiting up to two seconds for it unless called on a p2pchat thread.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onWorker(() -> {
            for (OutgoingTransfer t : outgoing.values()) {
                t.end(new FileTransferException(Reason.CLOSED, selfName + " closed before "
                        + t.label + " had all of " + t.name + "; it resumes when offered again"),
                        false);
            }
            for (IncomingTransfer t : incoming.values()) {
                t.abandon(closedFailure(t));
            }
            for (PendingOffer p : offers.values()) {
                p.withdraw();
            }
            offers.clear();
        });
        worker.shutdown();
        // On a p2pchat thread close() never blocks; the file thread then finishes on its own.
        if (!NodeThreads.current()) {
            try {
                worker.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private FileTransferException closedFailure(IncomingTransfer t) {
        return new FileTransferException(Reason.CLOSED, selfName + " closed before all of "
                + t.offer.name() + " arrived; the partial file stays for a transfer that"
                + " resumes it");
    }

    /**
     * Returns the file bytes sent in chunks so far, resent ones included; for tests and
     * diagnostics.
     *
     * @return bytes
     */
    public long chunkBytesSent() {
        return chunkBytesSent.get();
    }

    // ---- for the transfers ----

    /** Runs a task on the file thread; false if it is stopped (the node closed). */
    boolean onWorker(Runnable task) {
        try {
            worker.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Sends a control message; a failure is the link's to report, not the transfer's. */
    void send(PeerKey key, byte[] body) {
        try {
            CompletionStage<Void> sent = net.send(key, body);
            sent.whenComplete((v, e) -> {
                if (e != null) {
                    LOG.debug("{}: a file message to {} was not delivered: {}", selfName,
                            key.fingerprint(), e.toString());
                }
            });
        } catch (P2pChatException e) {
            LOG.debug("{}: cannot send a file message: {}", selfName, e.toString());
        }
    }

    /** File thread: the buffer each CHUNK is assembled in (the channel copies it at once). */
    ByteBuffer chunkBuffer() {
        if (chunkBuffer == null) {
            chunkBuffer = ByteBuffer.allocate(options.chunkBytes() + FileFrames.CHUNK_HEADER);
        }
        return chunkBuffer.clear();
    }

    /** Where received chunks are copied while they wait for the file thread. */
    ChunkBuffers buffers() {
        return buffers;
    }

    void sentChunkBytes(int n) {
        chunkBytesSent.addAndGet(n);
    }

    void ended(OutgoingTransfer t, boolean forget) {
        outgoing.remove(t.id, t);
        if (forget) {
            journal.forgotten(t.id);
        }
    }

    void ended(IncomingTransfer t) {
        InKey k = new InKey(t.key, t.id);
        incoming.remove(k, t);
        ended.add(k);
    }

    TransferJournal journal() {
        return journal;
    }

    FileNet net() {
        return net;
    }

    FileOptions options() {
        return options;
    }

    String selfName() {
        return selfName;
    }
}
