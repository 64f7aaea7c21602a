package org.p2pchat.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.PeerKey;

class KnownPeersTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Predicate<String> ALICE_IS_LISTED = Set.of("alice")::contains;

    @TempDir
    Path dir;

    private static PeerKey randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PeerKey.of(b);
    }

    @Test
    void theFirstKeyRememberedForANameStaysItsKey() {
        KnownPeers known = KnownPeers.inMemory(ALICE_IS_LISTED);
        PeerKey first = randomKey();
        assertSame(first, known.remember("zed", first));
        assertEquals(first, known.remember("zed", randomKey()));
        assertEquals(Optional.of(first), known.get("zed"));
    }

    @Test
    void strangersBeyondTheCapEvictTheOldestStrangerButNeverAFriend() {
        KnownPeers known = new KnownPeers(ALICE_IS_LISTED, 3, null);
        PeerKey alice = randomKey();
        known.remember("alice", alice);
        for (int i = 0; i < 10; i++) {
            known.remember("junk" + i, randomKey());
        }
        assertEquals(3, known.strangers());
        assertEquals(Optional.of(alice), known.get("alice"), "a friend's key is never evicted");
        assertEquals(Optional.empty(), known.get("junk6"), "the oldest strangers went first");
        assertTrue(known.get("junk7").isPresent() && known.get("junk9").isPresent());
        PeerKey latecomer = randomKey();
        assertSame(latecomer, known.remember("latecomer", latecomer),
                "a full store still remembers new strangers");
        assertEquals(Optional.of(latecomer), known.get("latecomer"));
    }

    @Test
    void aFloodOfStrangersNeverMakesAFriendsKeyAcceptAnything() {
        KnownPeers known = new KnownPeers(ALICE_IS_LISTED, 100, null);
        PeerKey alice = randomKey();
        known.remember("alice", alice);
        for (int i = 0; i < 100_000; i++) {
            known.remember("junk" + i, randomKey());
        }
        assertEquals(alice, known.remember("alice", randomKey()), "an impostor gets the old key back");
    }

    @Test
    void keysSurviveARestartAndTheFileIsCompactedAfterManyEvictions() throws Exception {
        Path file = dir.resolve("known_peers");
        KnownPeers known = KnownPeers.load(file, ALICE_IS_LISTED, 10);
        PeerKey alice = randomKey();
        known.remember("alice", alice);
        PeerKey last = null;
        for (int i = 0; i < 1_000; i++) {
            last = randomKey();
            known.remember("junk" + i, last);
        }
        long lines = Files.readAllLines(file).size();
        assertTrue(lines <= 2 * 11 + 64 + 1, "compacted to " + lines + " lines");

        KnownPeers reloaded = KnownPeers.load(file, ALICE_IS_LISTED, 10);
        assertEquals(Optional.of(alice), reloaded.get("alice"));
        assertEquals(Optional.of(last), reloaded.get("junk999"));
        assertEquals(Optional.empty(), reloaded.get("junk980"));
        assertEquals(10, reloaded.strangers());
    }

    @Test
    void aKeyLearntWhileTheNameWasAStrangersNeverSpeaksForAFriendListedLater() throws Exception {
        Path file = dir.resolve("known_peers");
        PeerKey squatter = randomKey();
        KnownPeers.load(file, name -> false, 10).remember("alice", squatter);
        KnownPeers now = KnownPeers.load(file, ALICE_IS_LISTED, 10);
        assertEquals(Optional.empty(), now.get("alice"));
        PeerKey real = randomKey();
        assertSame(real, now.remember("alice", real));
        assertEquals(Optional.of(real), KnownPeers.load(file, ALICE_IS_LISTED, 10).get("alice"));
    }

    @Test
    void unreadableLinesAreSkipped() throws Exception {
        Path file = dir.resolve("known_peers");
        PeerKey bob = randomKey();
        Files.writeString(file, "# comment\nalice not-a-key\nbob " + bob + "\ncarol " + randomKey()
                + " extra\n\n", StandardCharsets.UTF_8);
        KnownPeers known = KnownPeers.load(file, ALICE_IS_LISTED, 10);
        assertEquals(Optional.empty(), known.get("alice"));
        assertEquals(Optional.of(bob), known.get("bob"));
        assertEquals(Optional.empty(), known.get("carol"));
    }
}
