package org.p2pchat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule for peer names: what passes, and the look-alikes that must not. */
class PeerNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Bob", "carol-2", "d_e.f", "x", "zoë", "Ελένη", "Дмитрий",
        "山田", "やまだ太郎", "김민준", "hans-jürgen", "عمر", "user.42", "अनिल", "Nguyễn", "عمر٢", "a123456789012345678901234567890"
            + "12345678901234567890123456789012"})
    void namesOfOneScriptAreAccepted(String name) {
        assertEquals(name, PeerEntry.validateName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u0430lice", // Cyrillic a, then Latin: looks exactly like alice
        "alic\u0435", // Latin, then Cyrillic e
        "\u03bfscar", // Greek omicron with Latin
        "ali\u200bce", // zero-width space
        "alice\u200d", // zero-width joiner
        "\u202eecila", // right-to-left override
        "ali\u00adce", // soft hyphen
        "alice\ufe0f", // variation selector
        "al ice", "al/ice", "al#ice", "al\tice", "ali\u0000ce", "alice!", "a\u2024lice",
        "\u0301alice", // a combining mark with nothing to combine with
        "zoe\u0308", // e + combining diaeresis: not NFC (zoë is U+00EB)
        "alice\u3164", "ali\u115Fce", "alice\uFFA0", "\u3164", // Hangul fillers: invisible letters
        "\uD835\uDDBAlice", // mathematical sans-serif a
        "\uD835\uDC1A\uD835\uDC25\uD835\uDC22\uD835\uDC1C\uD835\uDC1E", // bold alice
        "a\u0661ice", // an Arabic-Indic digit among Latin letters
        "alice\uFF11", "\uFF41lice", // fullwidth
        "alice\u0335\u0335\u0335\u0335", // a tower of marks
        "-\u0301", "a-\u0301b", // a mark on punctuation
        "", "a1234567890123456789012345678901234567890123456789012345678901234"})
    void lookAlikesInvisibleAndOddCharactersAreRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PeerEntry.validateName(name));
        assertTrue(e.getMessage().startsWith("expected a name"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void theRefusalShowsInvisibleCharactersAndNamesTheScriptsMixed() {
        assertEquals("expected a name of 1 to 64 letters or digits of one script, '-', '_' or '.'"
                + " (no white space, '/', '#', symbols or invisible characters), got"
                + " 'ali<U+200B>ce'",
                assertThrows(IllegalArgumentException.class,
                        () -> PeerEntry.validateName("ali\u200bce")).getMessage());
        String mixed = assertThrows(IllegalArgumentException.class,
                () -> PeerEntry.validateName("\u0430lice")).getMessage();
        assertTrue(mixed.endsWith("which mixes [cyrillic, latin] letters (a look-alike of another"
                + " name?)"), mixed);
    }
}
