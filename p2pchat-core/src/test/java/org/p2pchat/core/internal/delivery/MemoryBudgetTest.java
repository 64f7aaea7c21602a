package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Held messages by what they cost on the heap: for everyone, and a quarter for strangers. */
class MemoryBudgetTest {
    private final MemoryBudget budget = new MemoryBudget(4_000);

    @Test
    void aMessageCostsItsTextAsAJavaStringPlusItsObjects() {
        assertEquals(144, MemoryBudget.cost(0));
        assertEquals(144 + 2 * 1_000, MemoryBudget.cost(1_000));
    }

    @Test
    void reservationsStopAtTheLimitAndReleasesMakeRoomAgain() {
        assertTrue(budget.reserve(3_000, false));
        assertFalse(budget.reserve(1_001, false));
        assertEquals(3_000, budget.used(), "a refused reservation takes nothing");
        budget.release(3_000, false);
        assertTrue(budget.reserve(4_000, false));
    }

    @Test
    void strangersTogetherGetAQuarterAndFriendsKeepTheRest() {
        assertTrue(budget.reserve(1_000, true));
        assertFalse(budget.reserve(1, true), "the strangers' quarter is full");
        assertTrue(budget.reserve(3_000, false), "friends still have three quarters");
        assertFalse(budget.reserve(1, false));
        budget.release(1_000, true);
        assertTrue(budget.reserve(1_000, true));
    }

    @Test
    void grantsAreWhatIsLeftDividedByTheCostliestUnit() {
        assertEquals((long) (4_000 / 4.5), budget.grantableUnits(false));
        assertEquals((long) (1_000 / 4.5), budget.grantableUnits(true));
        budget.reserve(900, true);
        assertEquals((long) (100 / 4.5), budget.grantableUnits(true));
        assertEquals((long) (3_100 / 4.5), budget.grantableUnits(false));
        budget.reserve(3_100, false);
        assertEquals(0, budget.grantableUnits(false));
        assertEquals(0, budget.grantableUnits(true), "nothing left for anyone");
    }
}
