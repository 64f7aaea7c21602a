package org.p2pchat.api;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a peer name may be, so that a name on screen means one thing: names arrive from strangers,
 * and one that merely looks like a friend's (a Cyrillic {@code а} in {@code аlice}, a zero-width
 * space, a right-to-left override) must not pass for it. A name is 1 to
 * {@link PeerEntry#MAX_NAME_LENGTH} characters in Unicode normalization form KC (so no fullwidth
 * or mathematical variants), made of letters (with at most three combining marks each) and
 * digits, plus {@code -}, {@code _} and {@code .}, none of them invisible (no Hangul filler), and
 * its letters and digits come from one script, or from one of the combinations of scripts that are written together
 * (Latin with Han, Hiragana and Katakana; Latin with Han and Hangul; Latin with Han and Bopomofo),
 * as in the "highly restrictive" level of Unicode's identifier security profile (UTS #39).
 * Stateless; any thread.
 */
final class NameRule {
    private static final List<Set<UnicodeScript>> SCRIPTS_WRITTEN_TOGETHER = List.of(
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA,
                    UnicodeScript.KATAKANA),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO));
    static final String RULE = "1 to " + PeerEntry.MAX_NAME_LENGTH + " letters or digits of one"
            + " script, '-', '_' or '.'";
    /** The most combining marks on one letter or digit (Vietnamese and Indic need a few). */
    private static final int MAX_MARKS_IN_A_ROW = 3;

    private NameRule() {
    }

    /**
     * Checks a name.
     *
     * @param name the candidate
     * @return null if it is a valid name, else why not
     */
    static String problem(String name) {
        if (name.isEmpty() || name.length() > PeerEntry.MAX_NAME_LENGTH) {
            return "expected a name of " + RULE + ", got '" + visible(name) + "'";
        }
        Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
        boolean afterLetterOrDigit = false;
        int marksInARow = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean mark = (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) && !isIgnorable(cp);
            if (mark) {
                // On a letter or digit only, and no tower of them (a "zalgo" name).
                if (!afterLetterOrDigit || ++marksInARow > MAX_MARKS_IN_A_ROW) {
                    return "expected a name of " + RULE + ", got '" + visible(name)
                            + "', which has combining marks on nothing or piled up";
                }
                continue;
            }
            marksInARow = 0;
            if ((Character.isLetter(cp) || Character.isDigit(cp)) && !isIgnorable(cp)) {
                scripts.add(UnicodeScript.of(cp));
                afterLetterOrDigit = true;
            } else if (cp == '-' || cp == '_' || cp == '.') {
                afterLetterOrDigit = false;
            } else {
                return "expected a name of " + RULE + " (no white space, '/', '#', symbols or"
                        + " invisible characters), got '" + visible(name) + "'";
            }
        }
        scripts.remove(UnicodeScript.COMMON);
        scripts.remove(UnicodeScript.INHERITED);
        if (scripts.size() > 1
                && SCRIPTS_WRITTEN_TOGETHER.stream().noneMatch(s -> s.containsAll(scripts))) {
            return "expected a name of " + RULE + ", got '" + visible(name) + "', which mixes "
                    + scripts.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).sorted().toList()
                    + " letters (a look-alike of another name?)";
        }
        if (!Normalizer.isNormalized(name, Normalizer.Form.NFKC)) {
            // NFKC folds fullwidth, mathematical and other "compatibility" look-alikes.
            return "expected a name in Unicode normalization form KC, got '" + visible(name)
                    + "' (normalized: '" + visible(Normalizer.normalize(name, Normalizer.Form.NFKC))
                    + "')";
        }
        return null;
    }

    /**
     * Letters and marks that show nothing of their own (Unicode's default-ignorable code points
     * among them): variation selectors, the combining grapheme joiner, Mongolian free variation
     * selectors, Khmer inherent vowels, and the Hangul fillers, which are letters.
     */
    private static boolean isIgnorable(int cp) {
        Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
        return block == Character.UnicodeBlock.VARIATION_SELECTORS
                || block == Character.UnicodeBlock.VARIATION_SELECTORS_SUPPLEMENT
                || cp == 0x034F || cp >= 0x180B && cp <= 0x180F || cp == 0x17B4 || cp == 0x17B5
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
    }

    /** The name with every character that is not a letter, digit or mark shown as U+XXXX. */
    private static String visible(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(2L * PeerEntry.MAX_NAME_LENGTH).forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_' || cp == '.') {
                b.appendCodePoint(cp);
            } else {
                b.append(String.format(Locale.ROOT, "<U+%04X>", cp));
            }
        });
        return b.toString();
    }
}
