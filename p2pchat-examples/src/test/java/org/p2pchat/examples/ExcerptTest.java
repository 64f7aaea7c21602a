package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExcerptTest {

    @Test
    void severalMessagesQuoteTheFirstAndCountTheOthers() {
        assertEquals("\"are you there?\"", Excerpt.ofAll(List.of("are you there?")));
        assertEquals("\"first\" and 2 more", Excerpt.ofAll(List.of("first", "second", "third")));
        String longer = "a message much longer than forty characters, cut";
        assertEquals("\"a message much longer than forty charact...\" and 1 more",
                Excerpt.ofAll(List.of(longer, "x")));
        assertThrows(IllegalArgumentException.class, () -> Excerpt.ofAll(List.of()));
    }
}
