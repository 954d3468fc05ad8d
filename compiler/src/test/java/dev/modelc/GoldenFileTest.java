package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * A golden test is never green by rewriting: an update run writes the new output and fails, and
 * under {@code CI=true} the update flag is refused. A golden with junk appended fails a compare.
 */
class GoldenFileTest {
    @TempDir
    Path temp;

    @Test
    void theUpdateFlagIsRefusedInCi() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> GoldenFile.mode("true", "true"));
        assertTrue(refused.getMessage().contains("refused under CI=true"), refused.getMessage());
        assertEquals(GoldenFile.Mode.UPDATE, GoldenFile.mode("true", null));
        assertEquals(GoldenFile.Mode.COMPARE, GoldenFile.mode(null, "true"));
        assertEquals(GoldenFile.Mode.COMPARE, GoldenFile.mode("false", null));
    }

    @Test
    void anUpdateWritesTheOutputAndFails() throws Exception {
        Path golden = Files.writeString(temp.resolve("g.txt"), "expected\njunk appended\n");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> GoldenFile.assertMatches(golden, "expected\n", GoldenFile.Mode.UPDATE));
        assertTrue(failure.getMessage().contains("g.txt rewritten: review the diff and rerun"), failure.getMessage());
        assertEquals("expected\n", Files.readString(golden));
        Path absent = temp.resolve("new/h.txt");
        assertThrows(AssertionFailedError.class, () -> GoldenFile.assertMatches(absent, "new\n",
                GoldenFile.Mode.UPDATE));
        assertEquals("new\n", Files.readString(absent));
        // Unchanged, the golden's own test passes, and the class still fails at its end.
        GoldenFile.assertMatches(golden, "expected\n", GoldenFile.Mode.UPDATE);
        assertTrue(GoldenFile.updateSummary(List.of(golden)).contains("rewrote 1 golden(s)"));
        assertTrue(GoldenFile.updateSummary(List.of()).contains("no golden differed; rerun without the flag"));
    }

    @Test
    void aCompareFailsOnJunkAndOnAMissingFile() throws Exception {
        Path golden = Files.writeString(temp.resolve("g.txt"), "expected\njunk\n");
        assertThrows(AssertionFailedError.class, () -> GoldenFile.assertMatches(golden, "expected\n",
                GoldenFile.Mode.COMPARE));
        assertEquals("expected\njunk\n", Files.readString(golden));
        assertThrows(AssertionFailedError.class, () -> GoldenFile.assertMatches(temp.resolve("absent.txt"), "x",
                GoldenFile.Mode.COMPARE));
        GoldenFile.assertMatches(Files.writeString(temp.resolve("crlf.txt"), "a\r\nb\r\n"), "a\nb\n",
                GoldenFile.Mode.COMPARE);
    }
}
