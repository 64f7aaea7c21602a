package org.p2pchat.core.internal.node;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.KnownPeer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerClosedException;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.UnknownPeerException;
import org.p2pchat.core.internal.delivery.DeliveryOptions;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.Inflow;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.delivery.MemoryBudget;
import org.p2pchat.core.internal.delivery.MessageFrames;
import org.p2pchat.core.internal.delivery.ReceiveLedger;
import org.p2pchat.core.internal.delivery.SendJournal;
import org.p2pchat.core.internal.delivery.Strangers;
import org.p2pchat.core.internal.link.TrustDecisions;
import org.p2pchat.core.internal.observe.FriendSample;
import org.p2pchat.core.internal.observe.NodeCounters;
import org.p2pchat.core.internal.room.Rooms;
import org.p2pchat.core.internal.session.TrustStore;
import org.p2pchat.spi.Ticker;

/**
 * A node's links, one {@link FriendLink} per peer it talks to, and who is who: which link a name
 * or a key means and what name a key goes by. Which link an authenticated connection belongs to,
 * and how a link found by its name or address comes to be under the key its first handshake
 * proved, are its {@link KeyProofs}', which work on the same map.
 *
 * <p>Thread-safe: application threads (sends), the transport's event loop (handshakes, closed
 * connections), the timer (idle links) and the rooms' tasks call it at once. Links are made,
 * moved and forgotten in single steps of one concurrent map, so two messages to one peer never
 * go out on two links with two numberings.
 */
final class LinkTable {
    /**
     * How many friends outside the directory are remembered after their link is forgotten: their
     * message numbers, so that one calling back does not get a message delivered twice, and
     * where to call them back, so that they can be answered.
     */
    private static final int REMEMBERED_STRANGERS = 256;

    /** What the table needs of the node it serves; called on any of the node's threads. */
    interface Node {
        /**
         * Opens a connection for a link.
         *
         * @param link the link
         * @param address where to connect
         * @return fails if the connection does not reach the open state
         */
        CompletionStage<Void> connect(FriendLink link, PeerAddress address);

        /**
         * Why a new text message is refused.
         *
         * @return the refusal once {@code close()} was called, else null
         */
        PeerClosedException refusal();
    }

    /**
     * The links, by the key of their peer; a friend of the directory not met yet (no pinned or
     * remembered key) is under its name, and a join through an address under the address, until
     * the first handshake proves the key.
     */
    private final ConcurrentHashMap<Object, FriendLink> links = new ConcurrentHashMap<>();
    private final Strangers strangers = new Strangers(REMEMBERED_STRANGERS);
    private final PeerDirectory directory;
    private final TrustStore trusted;
    private final Rooms rooms;
    private final DeliveryOptions delivery;
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final MemoryBudget memory;
    private final RandomGenerator random;
    private final Node node;
    private final KeyProofs proofs;
    private final SendJournal journal;
    private final ReceiveLedger ledger;
    /** Keeps what the links it forgets counted, for the total of {@code Peer.stats()}. */
    private final NodeCounters counters;

    LinkTable(PeerDirectory directory, TrustStore trusted, TrustDecisions trust, Rooms rooms,
            DeliveryOptions delivery, Ticker ticker, ScheduledExecutorService timer,
            MemoryBudget memory, RandomGenerator random, Node node, SendJournal journal,
            ReceiveLedger ledger, NodeCounters counters) {
        this.counters = counters;
        this.journal = journal;
        this.ledger = ledger;
        this.directory = directory;
        this.trusted = trusted;
        this.rooms = rooms;
        this.delivery = delivery;
        this.ticker = ticker;
        this.timer = timer;
        this.memory = memory;
        this.random = random;
        this.node = node;
        this.proofs = new KeyProofs(this, links, directory, trust);
    }

    /** Every link, as the map holds them now (a link under two contacts shows twice). */
    Collection<FriendLink> all() {
        return links.values();
    }

    /**
     * Samples every link for {@code Peer.stats()}, each once (a link may be under a name and a
     * key), leaving out those just forgotten: the node's counters keep what they counted.
     */
    List<FriendSample> samples() {
        java.util.Set<FriendLink> seen =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<FriendSample> samples = new java.util.ArrayList<>();
        for (FriendLink link : links.values()) {
            if (seen.add(link) && !link.isDisposed()) {
                samples.add(new FriendSample(link.friend(), link.key(), link.sample()));
            }
        }
        return samples;
    }

    /** The directory's friends, the rooms' members and the strangers that can be answered. */
    List<KnownPeer> knownPeers() {
        return new PeerList(directory, trusted, rooms, strangers, links, ticker).list();
    }

    /** Whether the directory lists a name: a friend, as opposed to a stranger. */
    boolean isListed(String peerName) {
        return directory.lookup(peerName).isPresent();
    }

    /** Whether the directory lists a name and the key is the one trusted for it. */
    boolean listedWithKey(String peerName, PeerKey key) {
        return isListed(peerName) && trusted.trustedKey(peerName).filter(key::equals).isPresent();
    }

    /**
     * Connects to a peer, unless its link is connected already.
     *
     * @param contact the link's key in {@link #links}, as {@link #contactOf} found it
     * @param peerName the name the peer goes by
     * @return completes once connected; fails if nothing says where the peer listens
     */
    CompletionStage<Void> connect(Object contact, String peerName) {
        FriendLink link = links.computeIfAbsent(contact, c -> newLink(c, peerName, null));
        if (link.state() == ConnectionState.CONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        PeerAddress address = connector.listedAddress(link);
        if (address == null) {
            address = link.callBack();
        }
        if (address == null) {
            return CompletableFuture.failedFuture(new UnknownPeerException(peerName));
        }
        return node.connect(link, address);
    }

    /**
     * Connects to whoever listens at an address, for a join through it.
     *
     * @param address the address
     * @return completes with the key the peer there proved
     */
    CompletionStage<PeerKey> reach(PeerAddress address) {
        FriendLink link = links.computeIfAbsent(address, a -> newLink(a, address.toString(), null));
        if (link.key() != null) {
            return CompletableFuture.completedFuture(link.key());
        }
        return node.connect(link, address).handle((v, e) -> {
            if (e != null) {
                // Nothing answered there with a key: the link under the address goes.
                forgetIfDisposable(link);
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            return link.key();
        });
    }

    boolean connectedTo(PeerKey key) {
        FriendLink link = links.get(key);
        return link != null && link.connected();
    }

    /**
     * Queues a message on the link of a contact (a key; a listed name not met yet; an address),
     * making the link if there is none.
     *
     * @param contact the link's key in {@link #links}
     * @param label the name the peer goes by, for a new link
     * @param kind the message's kind
     * @param body its bytes
     * @param text a text message's text, which {@code body} encodes, or null (its history record
     *     needs it: given, it need not be decoded again)
     * @param address where to call the peer if nothing else says so (a room member reached for
     *     the first time), or null
     * @return completes when the peer acknowledged the message
     */
    CompletionStage<Void> sendTo(Object contact, String label, byte kind, byte[] body,
            String text, PeerAddress address) {
        while (true) {
            FriendLink link = links.get(contact);
            if (link == null) {
                link = links.computeIfAbsent(contact, c -> newLink(c, label, address));
            }
            if (address != null) {
                link.callBackAt(address);
            }
            PeerClosedException refusal =
                    kind == MessageFrames.KIND_TEXT ? node.refusal() : null;
            if (refusal != null) {
                // close() may have gone over the links before this one existed.
                return CompletableFuture.failedFuture(refusal);
            }
            CompletionStage<Void> sent = link.send(kind, body, text);
            if (sent != null) {
                return sent;
            }
            // The link was forgotten a moment ago (idle, not listed), or handed over: retry.
            links.remove(contact, link);
        }
    }

    /**
     * Finds the link key of a name: a friend of the directory (by its trusted key if known),
     * else a member of a room (by key; the first room's if several), else a stranger that can
     * be called back.
     *
     * @throws UnknownPeerException if none goes by the name
     */
    Object contactOf(String peerName) {
        if (isListed(peerName)) {
            if (links.containsKey(peerName)) {
                // The friend's link, under its name from before its key was known (and under
                // its key too, once proven).
                return peerName;
            }
            Optional<PeerKey> key = trusted.trustedKey(peerName);
            return key.isPresent() ? key.get() : peerName;
        }
        List<Rooms.Found> members = rooms.membersNamed(peerName);
        if (!members.isEmpty()) {
            return members.get(0).key();
        }
        Object stranger = strangers.callable(peerName);
        if (stranger != null) {
            return stranger;
        }
        for (FriendLink l : links.values()) {
            if (l.friend().equals(peerName) && l.key() != null) {
                return l.key();
            }
        }
        throw new UnknownPeerException(peerName);
    }

    /** The link of a name, or null. */
    FriendLink linkNamed(String peerName) {
        try {
            return links.get(contactOf(peerName));
        } catch (UnknownPeerException e) {
            return null;
        }
    }

    /**
     * The name a key goes by: the directory's if the name is trusted with that key, else its name
     * in a room, else the name of its link; null if this peer knows nothing of it.
     */
    String labelOf(PeerKey key) {
        for (PeerEntry e : directory.entries()) {
            if (trusted.trustedKey(e.name()).filter(key::equals).isPresent()) {
                return e.name();
            }
        }
        Rooms.Found member = rooms.member(key);
        if (member != null) {
            return member.name();
        }
        FriendLink link = links.get(key);
        if (link != null) {
            return link.friend();
        }
        Strangers.Remembered r = strangers.snapshot().get(key);
        return r != null && r.callBack() != null ? r.name() : null;
    }

    /**
     * Makes the link of a contact, with what was kept of it when an earlier link was forgotten;
     * called only within the step of the map that puts the link under the contact (see {@link
     * #forgetIfDisposable}).
     */
    FriendLink newLink(Object contact, String label, PeerAddress address) {
        Strangers.Remembered known = strangers.take(contact);
        // Room members share the strangers' part of the memory budget: anyone who reaches a
        // member of an open room can become one.
        boolean stranger = !(contact instanceof String) && !(contact instanceof PeerKey k
                && label != null && listedWithKey(label, k));
        Inflow inflow = known != null ? known.inflow()
                : new Inflow(label, delivery.receiveWindowBytes(), memory, stranger, ledger);
        FriendLink link = new FriendLink(label, delivery, ticker, timer, connector, inflow,
                known != null ? known.callBack() : contact instanceof PeerAddress a ? a : address,
                random, journal);
        if (contact instanceof PeerKey k) {
            link.proven(k);
            link.startRecording();
        }
        return link;
    }

    /**
     * Queues a message an earlier process left in the store's outbox on the link of its peer's
     * key, made if there is none.
     *
     * @param key the peer's key
     * @param message the message
     */
    void restore(PeerKey key, org.p2pchat.core.internal.delivery.TrackedText message) {
        while (true) {
            FriendLink link = links.computeIfAbsent(key, k -> {
                String label = labelOf(key);
                return newLink(k, label != null ? label : OutboxRestore.labelFor(key), null);
            });
            if (link.restore(message)) {
                return;
            }
            // Forgotten a moment ago (a connection came and went while this peer started).
            links.remove(key, link);
        }
    }

    /** The key a link is kept under in {@link #links}. */
    Object contactKey(FriendLink link) {
        if (link.key() != null) {
            return link.key();
        }
        return isListed(link.friend()) ? link.friend() : link.callBack();
    }

    /** What every link asks of the table. */
    private final FriendLink.Connector connector = new FriendLink.Connector() {
        @Override
        public CompletionStage<Void> connect(FriendLink link, PeerAddress address) {
            return node.connect(link, address);
        }

        @Override
        public PeerAddress listedAddress(FriendLink link) {
            PeerKey key = link.key();
            Optional<PeerEntry> listed = directory.lookup(link.friend());
            if (listed.isPresent()) {
                Optional<PeerKey> trustedKey = trusted.trustedKey(link.friend());
                if (key == null || trustedKey.isEmpty() || trustedKey.get().equals(key)) {
                    return listed.get().address();
                }
            }
            Rooms.Found member = key == null ? null : rooms.member(key);
            return member == null ? null : member.address();
        }

        @Override
        public void idle(FriendLink link) {
            forgetIfDisposable(link);
        }
    };

    /** See {@link KeyProofs#introduced}. */
    FriendLink introduced(String peerName, PeerKey key, LinkSession connection,
            PeerAddress callBack) {
        return proofs.introduced(peerName, key, connection, callBack);
    }

    /** See {@link KeyProofs#opened}. */
    FriendLink opened(FriendLink link, String peerName, PeerKey key, PeerAddress address) {
        return proofs.opened(link, peerName, key, address);
    }

    /**
     * Forgets a link to a friend outside the directory once nothing refers to it, keeping what
     * it received (so that messages sent again are recognised if the friend calls back) and
     * where to call it back (so that it can be answered).
     */
    void forgetIfDisposable(FriendLink link) {
        // One atomic step with the map: a thread that makes the friend's next link (in
        // computeIfAbsent, under the same key) finds what this one received already kept.
        Object contact = contactKey(link);
        if (contact == null) {
            return;
        }
        links.computeIfPresent(contact, (c, current) -> {
            if (current != link || !link.dispose()) {
                return current;
            }
            if (!(c instanceof PeerAddress)) {
                // (A link under an address never met anyone: nothing to remember.)
                strangers.keep(c, link.friend(), link.inflow(), link.callBack());
            }
            counters.forgot(link.counters());
            return null;
        });
        if (link.isDisposed()) {
            // and under any other name it was kept by (the address a join reached it at)
            links.values().removeIf(l -> l == link);
        }
    }
}
