package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a command echoes, from a file name to a data file's cell, reaches the terminal as text, never as control. */
class ShownTextTest {
    @TempDir
    Path temp;

    @Test
    void controlCharactersInAnEchoedNameAreEscaped() {
        String name = temp.resolve("x\u001b[31m\u202E.model").toString();
        CommandLineRun run = CommandLineRun.of("check", name);
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("x\\x1B[31m\\u202E.model: no such file"), run.transcript());
        assertFalse(run.err().contains("\u001b") || run.err().contains("\u202E"), run.transcript());
    }

    @Test
    void aDataFileNamedByAModelShowsLittleOfItself() throws Exception {
        Path secret = Files.writeString(temp.resolve("credentials"), "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG\n");
        Path model = Files.writeString(temp.resolve("leak.model"), "model Leak\ninput x : [batch, 1]\n"
                + "input y : [batch]\nparam w : [1] = 0\nloss L = mse(x @ w, y)\ntrain {\n  data csv(\""
                + secret + "\", label = last)\n}\n");
        CommandLineRun run = CommandLineRun.of("train", model.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("\"aws_secret_access_key=wJ...\""), run.transcript());
        assertFalse(run.err().contains("wJalrXUtnFEMI"), run.transcript());
    }

    @Test
    void surrogatePairsSplitAcrossWritesStayWhole() {
        StringWriter target = new StringWriter();
        PrintWriter shown = ShownText.err(new PrintWriter(target));
        shown.print("\uD83D");
        shown.print("\uDE00 \u0007\r\n");
        shown.flush();
        assertEquals("\uD83D\uDE00 \\x07\\x0D\n", target.toString());
        PrintWriter out = ShownText.out(new PrintWriter(target = new StringWriter()));
        out.print("50%\r60%");
        out.flush();
        assertEquals("50%\r60%", target.toString());
    }
}
