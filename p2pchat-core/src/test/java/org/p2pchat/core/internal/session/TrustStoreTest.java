package org.p2pchat.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.session.TrustStore.Verdict;

/** Which key may speak for which name: pinned, remembered, learnt where the table says. */
class TrustStoreTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PeerKey pinned = randomKey();
    private final PeerDirectory table = PeerDirectory.of(List.of(
            new PeerEntry("alice", PeerAddress.loopback(7001)),
            new PeerEntry("carol", PeerAddress.loopback(7003), pinned)));
    private final KnownPeers known = KnownPeers.inMemory(n -> table.lookup(n).isPresent());
    private final TrustStore trust = new TrustStore(table, known);

    private static PeerKey randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PeerKey.of(b);
    }

    @Test
    void aCallerClaimingAListedNameWithAnUnknownKeyIsUnconfirmedAndNothingIsRemembered() {
        assertEquals(Verdict.UNCONFIRMED, trust.check("alice", randomKey(), false));
        assertEquals(Optional.empty(), trust.trustedKey("alice"));
    }

    @Test
    void aListedFriendsKeyIsLearntWhenThisPeerCalledTheListedAddress() {
        PeerKey alice = randomKey();
        assertEquals(Verdict.FIRST_USE, trust.check("alice", alice, true));
        assertEquals(Verdict.KNOWN, trust.check("alice", alice, false), "a caller from anywhere");
        assertThrows(PeerIdentityException.class, () -> trust.check("alice", randomKey(), false));
    }

    @Test
    void aStrangerIsTrustedOnFirstUseOnItsWord() {
        PeerKey zed = randomKey();
        assertEquals(Verdict.FIRST_USE, trust.check("zed", zed, false));
        assertEquals(Verdict.KNOWN, trust.check("zed", zed, false));
    }

    @Test
    void aPinnedKeyMustMatchWhoeverCalled() {
        assertEquals(Verdict.PINNED, trust.check("carol", pinned, false));
        assertThrows(PeerIdentityException.class, () -> trust.check("carol", randomKey(), true));
    }

    @Test
    void withTheStrangersStoreFullOfJunkAFriendsKeyIsStillEnforced() {
        PeerKey alice = randomKey();
        trust.check("alice", alice, true);
        for (int i = 0; i < KnownPeers.MAX_STRANGERS * 2; i++) {
            trust.check("junk" + i, randomKey(), false);
        }
        assertThrows(PeerIdentityException.class, () -> trust.check("alice", randomKey(), false));
        assertEquals(Verdict.KNOWN, trust.check("alice", alice, false));
    }

    @Test
    void aSecondKeyUnderAStrangersNameIsAnotherStrangerNotAnImpostor() {
        PeerKey first = randomKey();
        assertEquals(Verdict.FIRST_USE, trust.check("zed", first, false));
        assertEquals(Verdict.FIRST_USE, trust.check("zed", randomKey(), false),
                "a stranger is its key; its name is a label");
        assertEquals(Verdict.KNOWN, trust.check("zed", first, false));
    }
}
