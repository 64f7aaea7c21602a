package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A send's wall time: the system clock read once a millisecond, carried by the ticker between. */
class WallClockTest {
    private long system = 1_000_000_000_000L;
    private int reads;
    private final WallClock clock = new WallClock(() -> {
        reads++;
        return system;
    });

    @Test
    void withinAMillisecondTheTickerCarriesTheLastReadingForward() {
        assertEquals(system, clock.at(500));
        system += 7_777; // the system clock moves on its own; not read again yet
        assertEquals(system - 7_777 + 400, clock.at(900));
        assertEquals(system - 7_777 + WallClock.RESYNC_NANOS - 1,
                clock.at(500 + WallClock.RESYNC_NANOS - 1));
        assertEquals(1, reads);
    }

    @Test
    void aMillisecondOfTickerTimeReadsTheSystemClockAgain() {
        clock.at(0);
        system += 5_000_000;
        assertEquals(system, clock.at(WallClock.RESYNC_NANOS));
        assertEquals(2, reads);
        assertEquals(system + 10, clock.at(WallClock.RESYNC_NANOS + 10));
        assertEquals(2, reads);
    }

    @Test
    void aTickerThatDoesNotMoveOrMovesBackNeverHoldsTheWallTime() {
        clock.at(100);
        system += 3_000;
        assertEquals(system, clock.at(100), "held still: the system clock is read");
        system += 3_000;
        assertEquals(system, clock.at(50), "moved back: read again");
        assertEquals(3, reads);
    }
}
