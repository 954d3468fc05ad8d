package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Text from files is shown with everything that would act on a terminal escaped, and cut short. */
class PrintableTest {
    @Test
    void controlAndDirectionCharactersAreEscaped() {
        assertEquals("a\\x1B[2Jb\\x0A\\x0D\\x07", Printable.escape("a\u001b[2Jb\n\r\u0007"));
        assertEquals("evil\\u202Egnp.exe", Printable.escape("evil\u202Egnp.exe"));
        assertEquals("zero\\u200Bwidth \\u2028", Printable.escape("zero\u200Bwidth \u2028"));
        assertEquals("\\uE000 \\U0010FFFF", Printable.escape("\uE000 \uDBFF\uDFFF"));
        assertEquals("\\uD800", Printable.escape("\uD800"));
    }

    @Test
    void visibleTextOfAnyScriptIsShownAsItIs() {
        String text = "θ Größe 損失 ω₀ 😀 \t";
        assertEquals("θ Größe 損失 ω₀ 😀 \\x09", Printable.escape(text));
    }

    @Test
    void anExcerptIsCutByCharactersAndSaysSo() {
        assertEquals("\"" + "s".repeat(Printable.EXCERPT) + "...\"", Printable.quote("s".repeat(100)));
        assertEquals("\"" + "s".repeat(Printable.EXCERPT) + "\"", Printable.quote("s".repeat(Printable.EXCERPT)));
        assertEquals("😀😀...", Printable.excerpt("😀😀😀", 2));
    }
}
