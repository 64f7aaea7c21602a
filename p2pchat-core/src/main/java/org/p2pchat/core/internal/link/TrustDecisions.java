package org.p2pchat.core.internal.link;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.runtime.SerialExecutor;
import org.p2pchat.core.internal.session.TrustStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's decisions on the keys its handshakes prove: whether a key may speak for the name it
 * comes with ({@link TrustStore}), the check of a caller's key at the friend's listed address
 * ({@link ListedAddressCheck}), and telling the application of keys trusted on first use and of
 * callers refused, on its callback executor in the peer's lane.
 *
 * <p>Called on the event loop; thread-safe.
 */
public final class TrustDecisions {
    private static final Logger LOG = LoggerFactory.getLogger(TrustDecisions.class);

    private final String node;
    private final PeerDirectory directory;
    private final TrustStore trust;
    private final MessageListener listener;
    private final SerialExecutor callbacks;
    private ListedAddressCheck listedAddressCheck;

    public TrustDecisions(String node, PeerDirectory directory, TrustStore trust,
            MessageListener listener, SerialExecutor callbacks) {
        this.node = node;
        this.directory = directory;
        this.trust = trust;
        this.listener = listener;
        this.callbacks = callbacks;
    }

    /** Sets how callers are checked at listed addresses; once, while the node is built. */
    public void checkCallersWith(ListedAddressCheck check) {
        this.listedAddressCheck = check;
    }

    /**
     * A peer this node called at the listed (or call-back) address has proven its key: checks
     * that it may speak for the name, trusting it on first use.
     *
     * @throws PeerIdentityException if the name belongs to another key
     */
    public void called(String peerName, PeerKey key) {
        told(peerName, key, trust.check(peerName, key, true));
    }

    /**
     * A caller has proven its key: checks it as {@link #called} does, except that a listed
     * friend's key not known yet is only {@code UNCONFIRMED}: the caller must then be
     * {@link #confirmAtListedAddress confirmed}.
     *
     * @throws PeerIdentityException if the name belongs to another key
     */
    TrustStore.Verdict caller(String peerName, PeerKey key) {
        return told(peerName, key, trust.check(peerName, key, false));
    }

    private TrustStore.Verdict told(String peerName, PeerKey key, TrustStore.Verdict verdict) {
        if (verdict == TrustStore.Verdict.FIRST_USE) {
            LOG.info("{}: trusting {} with key {} on first use", node, peerName, key.fingerprint());
            callbacks.execute(key, () -> listener.onPeerKeyTrusted(peerName, key));
        }
        return verdict;
    }

    /** Checks a caller's key at the address the directory lists for the name it claims. */
    CompletionStage<Void> confirmAtListedAddress(String friend, PeerKey presented) {
        PeerAddress listed = directory.lookup(friend).map(PeerEntry::address).orElse(null);
        if (listed == null) {
            return CompletableFuture.failedFuture(new PeerIdentityException(friend
                    + " is no longer in " + node + "'s user_info table"));
        }
        return listedAddressCheck.confirm(friend, listed, presented);
    }

    /** This node refused a caller's key: the application is told. */
    void refused(String peerName, PeerIdentityException reason) {
        callbacks.execute(peerName, () -> listener.onPeerRefused(peerName, reason));
    }
}
