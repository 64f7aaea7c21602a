package org.p2pchat.core.internal.session;

import java.util.Optional;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;

/**
 * Decides whether a name may be spoken for by a key: a key pinned in the directory must match;
 * otherwise a key remembered from before must match; otherwise the key is trusted on first use
 * and remembered, with one exception. A friend listed in the directory without a pinned key has
 * its key learnt only on a connection this peer opened to the friend's listed address: a caller
 * merely claiming that name is {@link Verdict#UNCONFIRMED} until this peer has called the listed
 * address and found the same key there. So the first stranger to call with a friend's name
 * cannot take it. Thread-safe.
 */
public final class TrustStore {
    /** The outcome of a successful check. */
    public enum Verdict {
        /** The key is pinned in the directory for this name. */
        PINNED,
        /** The key was remembered for this name from an earlier handshake. */
        KNOWN,
        /** The name was new: the key is now remembered for it. */
        FIRST_USE,
        /**
         * The name is a listed friend's whose key is not known yet, and the caller's word is not
         * enough: call the listed address and check the key found there.
         */
        UNCONFIRMED
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
     * Checks a name and key, remembering the key if the name is new and this peer may learn it
     * here.
     *
     * @param name the name the peer claims
     * @param key the key it proved it holds
     * @param calledListedAddress whether this peer opened the connection, to the address its
     *     directory lists for the name (else the other side called, or was called elsewhere)
     * @return how the key is trusted
     * @throws PeerIdentityException if the name belongs to another key
     */
    public Verdict check(String name, PeerKey key, boolean calledListedAddress) {
        PeerEntry entry = directory.lookup(name).orElse(null);
        if (entry != null && entry.key() != null) {
            if (!entry.key().equals(key)) {
                throw mismatch(name, key, entry.key(), "pinned in the user_info table");
            }
            return Verdict.PINNED;
        }
        PeerKey remembered = known.get(name).orElse(null);
        if (entry == null) {
            // Not a friend's name: a stranger is its key, and its name a label, so another key
            // under the same name is another stranger, not an impostor (PROTOCOL.md, "Trust").
            if (remembered == null) {
                known.remember(name, key);
                return Verdict.FIRST_USE;
            }
            return remembered.equals(key) ? Verdict.KNOWN : Verdict.FIRST_USE;
        }
        if (remembered == null && !calledListedAddress) {
            return Verdict.UNCONFIRMED;
        }
        PeerKey now = remembered != null ? remembered : known.remember(name, key);
        if (!now.equals(key)) {
            throw mismatch(name, key, now, remembered != null
                    ? "remembered from an earlier conversation" : "learnt at the same moment");
        }
        return remembered != null ? Verdict.KNOWN : Verdict.FIRST_USE;
    }

    /**
     * Checks a name and key as {@link #check(String, PeerKey, boolean)} does for a connection this
     * peer opened to the listed address.
     *
     * @param name the name the peer claims
     * @param key the key it proved it holds
     * @return how the key is trusted
     * @throws PeerIdentityException if the name belongs to another key
     */
    public Verdict check(String name, PeerKey key) {
        return check(name, key, true);
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
