package org.p2pchat.core.internal.node;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.PeerUnreachableException;
import org.p2pchat.core.internal.delivery.FriendLink;
import org.p2pchat.core.internal.delivery.LinkSession;
import org.p2pchat.core.internal.link.TrustDecisions;

/**
 * What a key proven by a handshake does to a node's links ({@link LinkTable}): which link an
 * authenticated connection belongs to, whether a connection this peer opened reached the peer
 * its link is for, and how a link found by its name or address comes to be under the key its
 * first handshake proved.
 *
 * <p>Thread-safe: the transport's event loop calls it as handshakes end, while application
 * threads (sends), the timer (idle links) and the rooms' tasks use the same links. It works on
 * the table's one concurrent map, making and moving links in single steps of it as the table
 * does, so two messages to one peer never go out on two links with two numberings.
 */
final class KeyProofs {
    private final LinkTable table;
    /** The table's links, by the key of their peer (or a name, or an address, until proven). */
    private final ConcurrentHashMap<Object, FriendLink> links;
    private final PeerDirectory directory;
    private final TrustDecisions trust;

    /**
     * Prepares the key proofs of a table.
     *
     * @param table the table, for who is who and for making links
     * @param links the table's map of links, which this changes in single steps of its own
     * @param directory the friends
     * @param trust what the node decides about the keys its handshakes prove
     */
    KeyProofs(LinkTable table, ConcurrentHashMap<Object, FriendLink> links,
            PeerDirectory directory, TrustDecisions trust) {
        this.table = table;
        this.links = links;
        this.directory = directory;
        this.trust = trust;
    }

    /**
     * The link of an accepted connection that has proven its key and may speak for the name it
     * gave. A friend of the directory this peer was about to call for the first time (its link
     * is under its name) gets that link, now under its key.
     */
    FriendLink introduced(String peerName, PeerKey key, LinkSession connection,
            PeerAddress callBack) {
        if (table.listedWithKey(peerName, key)) {
            FriendLink waiting = links.get(peerName);
            if (waiting != null && waiting.key() == null) {
                adopt(waiting, peerName, key);
            }
        }
        String label = table.labelOf(key);
        String shown = label != null ? label : peerName;
        while (true) {
            FriendLink link = links.computeIfAbsent(key, k -> table.newLink(k, shown, null));
            if (link.attach(connection)) {
                link.callBackAt(callBack);
                return link;
            }
            // Forgotten by the timer a moment ago: attach to a new one.
            links.remove(key, link);
        }
    }

    /**
     * Checks the key a connection this peer opened for a link has proven, as {@link
     * org.p2pchat.core.internal.link.LinkNode#opened} says.
     *
     * @return the link the connection belongs to
     * @throws PeerIdentityException if it is not the peer the link is for
     */
    FriendLink opened(FriendLink link, String peerName, PeerKey key, PeerAddress address) {
        PeerKey expected = link.key();
        boolean listedFriend = expected == null ? table.isListed(link.friend())
                : table.listedWithKey(link.friend(), expected);
        if (listedFriend) {
            // A friend of the directory: the name that answers and its key must hold, pinned,
            // remembered or trusted now on first use.
            if (!peerName.equals(link.friend())) {
                throw new PeerIdentityException("called " + link.friend() + " at " + address
                        + " but '" + peerName + "' answered");
            }
            if (expected != null) {
                trust.called(peerName, key);
                return link;
            }
            // Under the key before the key is trusted: a sender that finds the key trusted finds
            // this link under it too, not a second one.
            FriendLink holder = links.putIfAbsent(key, link);
            try {
                trust.called(peerName, key);
            } catch (RuntimeException e) {
                if (holder == null) {
                    links.remove(key, link);
                }
                throw e;
            }
            return adopt(link, link.friend(), key);
        }
        if (expected != null) {
            if (!expected.equals(key)) {
                throw new PeerIdentityException("called " + link.friend() + " at " + address
                        + " but the peer there proved key " + key.fingerprint() + ", not "
                        + expected.fingerprint());
            }
            return link;
        }
        Object contact = table.contactKey(link);
        if (contact instanceof PeerAddress reached) {
            // It went by its address until now: it goes by the name the peer's key has here
            // (the table's, a room's), else by the name it gave.
            String known = table.labelOf(key);
            link.named(known != null ? known : peerName);
            // A join through an address: if the table lists the name that answered at that very
            // address, this is that friend, met as if called by name (trusted on first use, or
            // refused if its key is not the one trusted for the name).
            Optional<PeerEntry> listed = directory.lookup(peerName);
            if (listed.isPresent() && listed.get().address().equals(reached)) {
                trust.called(peerName, key);
                FriendLink adopted = adopt(link, contact, key);
                FriendLink named = links.get(peerName);
                if (named != null && named != adopted && named.key() == null) {
                    // Messages to the friend by name wait on a link of their own: one numbering.
                    adopt(named, peerName, key);
                }
                return adopted;
            }
        }
        return adopt(link, contact, key);
    }

    /**
     * Moves a link whose key its first handshake proved under that key; if another link holds
     * the key already, this one hands its messages to it and goes.
     *
     * @return the link now under the key
     */
    private FriendLink adopt(FriendLink link, Object contact, PeerKey key) {
        link.proven(key);
        // The link stays under its name (or address) too: a sender that looked the name up a
        // moment ago finds the same link, so no message goes to a second one.
        FriendLink holder = links.putIfAbsent(key, link);
        if (holder == null || holder == link) {
            // The one link of the key: what waits on it, and what follows, is recorded now.
            link.startRecording();
            return link;
        }
        links.replace(contact, link, holder);
        for (FriendLink.Waiting w : link.handOver()) {
            CompletionStage<Void> sent = holder.send(w.kind(), w.body());
            if (sent == null) {
                w.done().completeExceptionally(new PeerUnreachableException(
                        "the link to " + holder.friend() + " closed while a message moved to it"));
            } else {
                sent.whenComplete((v, e) -> {
                    if (e == null) {
                        w.done().complete(null);
                    } else {
                        w.done().completeExceptionally(e);
                    }
                });
            }
        }
        return holder;
    }
}
