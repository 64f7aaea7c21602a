package org.p2pchat.core.internal.session;

import java.util.Optional;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;

/**
 * Decides whether a name may be spoken for by a key: a key pinned in the directory must match;
 * otherwise a key remembered from before must match; otherwise the key is trusted on first use
 * and remembered. Thread-safe.
 */
public final class TrustStore {
    /** The outcome of a successful check. */
    public enum Verdict {
        /** The key is pinned in the directory for this name. */
        PINNED,
        /** The key was remembered for this name from an earlier handshake. */
        KNOWN,
        /** The name was new: the key is now remembered for it. */
        FIRST_USE
    }

    private final PeerDirectory directory;
    private final KnownPeers known;

    /**
     * Creates the store.
     *
     * @param directory where keys are pinned
     * @param known where keys trusted on first use are remembered
     */
    public TrustStore(PeerDirectory directory, KnownPeers known) {
        this.directory = directory;
        this.known = known;
    }

    /**
     * Checks a name and key, remembering the key if the name is new.
     *
     * @param name the name the peer claims
     * @param key the key it proved it holds
     * @return how the key is trusted
     * @throws PeerIdentityException if the name belongs to another key
     */
    public Verdict check(String name, PeerKey key) {
        PeerKey pinned = directory.lookup(name).map(PeerEntry::key).orElse(null);
        if (pinned != null) {
            if (!pinned.equals(key)) {
                throw mismatch(name, key, pinned, "pinned in the user_info table");
            }
            return Verdict.PINNED;
        }
        PeerKey remembered = known.remember(name, key);
        if (!remembered.equals(key)) {
            throw mismatch(name, key, remembered, "remembered from an earlier conversation");
        }
        return remembered == key ? Verdict.FIRST_USE : Verdict.KNOWN;
    }

    /**
     * Returns the key trusted for a name, if any.
     *
     * @param name the name
     * @return the pinned or remembered key
     */
    public Optional<PeerKey> trustedKey(String name) {
        Optional<PeerKey> pinned = directory.lookup(name).map(PeerEntry::key);
        return pinned.isPresent() ? pinned : known.get(name);
    }

    private static PeerIdentityException mismatch(String name, PeerKey presented, PeerKey trusted,
            String where) {
        return new PeerIdentityException("'" + name + "' presented key " + presented.fingerprint()
                + " but the key " + where + " is " + trusted.fingerprint()
                + "; refused (if the change is expected, update the pinned key or the known-peers"
                + " file)");
    }
}
