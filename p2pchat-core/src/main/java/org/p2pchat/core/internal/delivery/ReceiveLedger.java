package org.p2pchat.core.internal.delivery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.ReceiveRecord;
import org.p2pchat.spi.StoreWrite;

/**
 * How far this peer has delivered the numbering of each process of each peer it heard from:
 * loaded from the store when the node starts (so that a restarted receiver skips what a sender
 * sends again), and kept for the earlier processes of a peer that restarted (so that the
 * messages a durable sender restores from its outbox, which keep their first numbers, are
 * delivered once).
 *
 * <p>Bounded: {@link #EPOCHS_PER_PEER} processes per peer and {@link #PEERS} peers, the ones
 * heard from longest ago forgotten first, in the store too. A sender that restarts more often
 * than that while messages wait, or a receiver that hears from more peers in between, may
 * deliver a restored message again.
 *
 * <p>Thread-safe: the inflows of every peer consult it on the event loop.
 */
public final class ReceiveLedger {
    /** How many processes of one peer are remembered. */
    public static final int EPOCHS_PER_PEER = 8;
    /** How many peers are remembered. */
    public static final int PEERS = 4096;

    private final MessageStore store;
    /** By peer, heard from longest ago first; each peer's epochs oldest first. */
    private final LinkedHashMap<PeerKey, LinkedHashMap<Long, Long>> delivered =
            new LinkedHashMap<>(16, 0.75f, true);

    /**
     * Creates the ledger of a node.
     *
     * @param store where forgotten records are removed too, or null to keep it in memory only
     * @param records what the store holds
     */
    public ReceiveLedger(MessageStore store, List<ReceiveRecord> records) {
        this.store = store;
        for (ReceiveRecord r : records) {
            remember(r.peer(), r.epoch(), r.deliveredUpTo());
        }
    }

    /**
     * The highest number delivered of a process of a peer.
     *
     * @param peer the peer
     * @param epoch its process's epoch
     * @return the number, or 0 if nothing is known
     */
    public synchronized long deliveredUpTo(PeerKey peer, long epoch) {
        Map<Long, Long> epochs = delivered.get(peer);
        Long upTo = epochs == null ? null : epochs.get(epoch);
        return upTo == null ? 0 : upTo;
    }

    /**
     * Records that a process of a peer was delivered up to a number (never moving back).
     *
     * @param peer the peer
     * @param epoch its process's epoch
     * @param upTo the number
     */
    public void remember(PeerKey peer, long epoch, long upTo) {
        List<Forgotten> forgotten = new ArrayList<>(1);
        synchronized (this) {
            LinkedHashMap<Long, Long> epochs = delivered.computeIfAbsent(peer,
                    p -> new LinkedHashMap<>());
            epochs.merge(epoch, upTo, Math::max);
            Iterator<Long> oldest = epochs.keySet().iterator();
            while (epochs.size() > EPOCHS_PER_PEER) {
                forgotten.add(new Forgotten(peer, oldest.next()));
                oldest.remove();
            }
            if (delivered.size() > PEERS) {
                Iterator<Map.Entry<PeerKey, LinkedHashMap<Long, Long>>> it =
                        delivered.entrySet().iterator();
                Map.Entry<PeerKey, LinkedHashMap<Long, Long>> eldest = it.next();
                for (Long e : eldest.getValue().keySet()) {
                    forgotten.add(new Forgotten(eldest.getKey(), e));
                }
                it.remove();
            }
        }
        if (store != null && !forgotten.isEmpty()) {
            StoreWrite w = new StoreWrite();
            for (Forgotten f : forgotten) {
                w.forgetReceived(f.peer(), f.epoch());
            }
            store.write(w);
        }
    }

    private record Forgotten(PeerKey peer, long epoch) {
    }
}
