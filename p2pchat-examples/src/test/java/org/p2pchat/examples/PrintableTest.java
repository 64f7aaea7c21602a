package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.p2pchat.examples.console.Printable;

class PrintableTest {

    @Test
    void ordinaryTextIsReturnedUnchanged() {
        String text = "hi there, ça va? 👋";
        assertSame(text, Printable.of(text));
    }

    @Test
    void escapeSequencesAndLineBreaksFromTheNetworkAreDefused() {
        assertEquals("\uFFFD[2J\uFFFDevil \uFFFDnext", Printable.of("\u001b[2J\revil \nnext"));
        assertEquals("a b", Printable.of("a\tb"));
        assertEquals("x\uFFFDy", Printable.of("x\u202Ey"));
    }
}
