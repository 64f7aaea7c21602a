package org.p2pchat.core.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.internal.link.HandshakeAdmission.Limits;
import org.p2pchat.core.internal.link.HandshakeAdmission.Place;
import org.p2pchat.core.internal.link.HandshakeAdmission.Verdict;
import org.p2pchat.testkit.ManualTicker;

/** What a stranger can make a peer start before any Diffie-Hellman: places and rates. */
class HandshakeAdmissionTest {
    private static final String FRIEND = "192.0.2.7";
    private final ManualTicker ticker = new ManualTicker();

    /** Never drops early: every draw is the highest. */
    private static final RandomGenerator NEVER_DROPS = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public int nextInt(int bound) {
            return bound - 1;
        }
    };

    private HandshakeAdmission admission(Limits limits, RandomGenerator random) {
        return new HandshakeAdmission(limits, ticker, random, () -> Set.of(FRIEND, "bob.example"));
    }

    private HandshakeAdmission admission() {
        return admission(Limits.defaults(32), NEVER_DROPS);
    }

    private static String stranger(int i) {
        return "10.0." + (i / 256) + "." + (i % 256);
    }

    @Test
    void oneSourceHoldsAtMostFourHandshakesAndOthersAreNotHeldUpByIt() {
        HandshakeAdmission a = admission();
        for (int i = 0; i < 4; i++) {
            assertEquals(Verdict.ADMITTED, a.admit("10.0.0.1").verdict());
        }
        assertEquals(Verdict.SOURCE_FULL, a.admit("10.0.0.1").verdict());
        assertEquals(Verdict.ADMITTED, a.admit("10.0.0.2").verdict());
    }

    @Test
    void anIpv6SourceIsItsSlash64() {
        assertEquals(HandshakeAdmission.sourceOf("2001:db8::1"),
                HandshakeAdmission.sourceOf("2001:db8:0:0:ffff::2"));
        assertTrue(!HandshakeAdmission.sourceOf("2001:db8::1")
                .equals(HandshakeAdmission.sourceOf("2001:db8:0:1::1")));
        HandshakeAdmission a = admission();
        for (int i = 1; i <= 4; i++) {
            assertEquals(Verdict.ADMITTED, a.admit("2001:db8::" + i).verdict());
        }
        assertEquals(Verdict.SOURCE_FULL, a.admit("2001:db8::99").verdict());
    }

    @Test
    void strangersTogetherHoldAtMostMaxHandshakesAndAFriendsSourceStillGetsIn() {
        HandshakeAdmission a = admission();
        for (int i = 0; i < 32; i++) {
            assertEquals(Verdict.ADMITTED, a.admit(stranger(i)).verdict(), "stranger " + i);
        }
        assertEquals(Verdict.FULL, a.admit(stranger(99)).verdict());
        assertEquals(Verdict.ADMITTED, a.admit(FRIEND).verdict(), "the table's address is no stranger");
        assertEquals(32, a.strangersInProgress());
    }

    @Test
    void pastHalfFullNewStrangersAreDroppedAtRandomMoreOftenAsItFills() {
        HandshakeAdmission a = admission(Limits.defaults(32), new SplittableRandom(42));
        List<Integer> dropsPerLevel = new ArrayList<>();
        int next = 0;
        for (int level = 0; level < 32; level++) {
            int drops = 0;
            while (true) {
                Place p = a.admit(stranger(next++));
                if (p.admitted()) {
                    break;
                }
                assertEquals(Verdict.EARLY_DROP, p.verdict());
                drops++;
            }
            dropsPerLevel.add(drops);
        }
        assertEquals(0, dropsPerLevel.subList(0, 16).stream().mapToInt(Integer::intValue).sum(),
                "no early drop below half");
        int firstQuarter = dropsPerLevel.subList(16, 24).stream().mapToInt(Integer::intValue).sum();
        int lastQuarter = dropsPerLevel.subList(24, 32).stream().mapToInt(Integer::intValue).sum();
        assertTrue(lastQuarter > firstQuarter, dropsPerLevel.toString());
    }

    @Test
    void aPlaceGivenBackIsFreeAgain() {
        HandshakeAdmission a = admission();
        List<Place> places = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            places.add(a.admit("10.0.0.1"));
        }
        a.ended(places.get(0));
        a.ended(a.admit("10.0.0.1")); // refused: giving it back changes nothing
        assertEquals(Verdict.ADMITTED, a.admit("10.0.0.1").verdict());
        assertEquals(4, a.strangersInProgress());
    }

    @Test
    void strangersTogetherStartAtMost200ASecond() {
        HandshakeAdmission a = admission(new Limits(1_000, 1_000, 200, 1_000), NEVER_DROPS);
        for (int i = 0; i < 200; i++) {
            Place p = a.admit(stranger(i));
            assertEquals(Verdict.ADMITTED, p.verdict(), "handshake " + i);
            a.ended(p);
        }
        assertEquals(Verdict.RATE, a.admit(stranger(500)).verdict());
        ticker.advance(Duration.ofMillis(5));
        assertEquals(Verdict.ADMITTED, a.admit(stranger(501)).verdict(), "one more every 5 ms");
        assertEquals(Verdict.RATE, a.admit(stranger(502)).verdict());
        assertEquals(Verdict.ADMITTED, a.admit(FRIEND).verdict(), "a friend's source has its own");
    }

    @Test
    void oneSourceStartsAtMost20ASecond() {
        HandshakeAdmission a = admission();
        for (int i = 0; i < 20; i++) {
            a.ended(a.admit("10.0.0.1"));
        }
        assertEquals(Verdict.SOURCE_RATE, a.admit("10.0.0.1").verdict());
        assertEquals(Verdict.ADMITTED, a.admit("10.0.0.2").verdict());
        ticker.advance(Duration.ofMillis(50));
        assertEquals(Verdict.ADMITTED, a.admit("10.0.0.1").verdict());
    }

    @Test
    void aRaisedHandshakeRateLetsOneSourceStartATenthOfIt() {
        HandshakeAdmission a = admission(Limits.of(32, 2_000), NEVER_DROPS);
        for (int i = 0; i < 200; i++) {
            Place p = a.admit("10.0.0.1");
            assertEquals(Verdict.ADMITTED, p.verdict(), "handshake " + i);
            a.ended(p);
        }
        assertEquals(Verdict.SOURCE_RATE, a.admit("10.0.0.1").verdict());
        assertEquals(Limits.defaults(32), Limits.of(32, 200), "the default is 200 a second");
    }

    @Test
    void aFriendsSourceMayHoldEveryHandshakePlaceAndStartTenTimesTheRateOfAStrangersSource() {
        HandshakeAdmission a = admission();
        List<Place> places = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            places.add(a.admit(FRIEND));
            assertEquals(Verdict.ADMITTED, places.get(i).verdict());
        }
        assertEquals(Verdict.SOURCE_FULL, a.admit(FRIEND).verdict());
        for (int i = 32; i < 200; i++) {
            a.ended(places.remove(0));
            places.add(a.admit(FRIEND));
            assertEquals(Verdict.ADMITTED, places.get(places.size() - 1).verdict(), "handshake " + i);
        }
        a.ended(places.remove(0));
        assertEquals(Verdict.SOURCE_RATE, a.admit(FRIEND).verdict(), "200 a second at most");
        assertEquals(0, a.strangersInProgress());
        assertEquals(Verdict.ADMITTED, a.admit(stranger(1)).verdict(), "not out of the strangers'");
    }

    @Test
    void withASingleHandshakePlaceNothingIsDroppedEarlyWhileItIsFree() {
        HandshakeAdmission a = admission(Limits.defaults(1), new SplittableRandom(1));
        for (int i = 0; i < 100; i++) {
            Place p = a.admit(stranger(i));
            assertEquals(Verdict.ADMITTED, p.verdict(), "connection " + i);
            a.ended(p);
            ticker.advance(Duration.ofMillis(100));
        }
    }
}
