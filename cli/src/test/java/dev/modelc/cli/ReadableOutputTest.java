package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `modelc train` prints stays readable: numbers at every scale, bounded tables, every limit stated. */
class ReadableOutputTest {
    private static final Pattern STOPPED = Pattern.compile("^stopped: f < 1e-6 after (\\d+) updates \\(f = (\\S+)\\)$");

    @TempDir
    Path temp;

    private static CommandLineRun train(String... args) {
        CommandLineRun run = CommandLineRun.of(args);
        assertEquals(0, run.exitCode(), run.transcript());
        return run;
    }

    private static <T> T last(List<T> lines) {
        return lines.get(lines.size() - 1);
    }

    @Test
    void aLongRunPrintsItsFirstRowsThenAFewSpreadOutThenTheLast() {
        // Rosenbrock with Adam takes about 600 updates of its 3,000; a row each would be as many lines.
        CommandLineRun run = train("train", CommandLineRun.sample("rosenbrock.model"));
        Matcher stopped = STOPPED.matcher(last(run.outLines()));
        assertTrue(stopped.matches(), run.out());
        long updates = Long.parseLong(stopped.group(1));
        List<Long> iterations = run.tableRows().stream().map(r -> Long.parseLong(r[0])).toList();
        for (int i = 0; i < 20; i++) {
            assertEquals(i, (long) iterations.get(i));
        }
        long every = (3000 + 39) / 40;
        for (long iteration : iterations.subList(20, iterations.size() - 1)) {
            assertEquals(0, iteration % every, "row " + iteration + " in " + iterations);
        }
        assertEquals(updates, (long) last(iterations), "the last row is the last iteration");
        assertTrue(iterations.size() <= 20 + 40 + 1, iterations.size() + " rows");
    }

    @Test
    void aLossBelowSixDecimalsReadsInScientificNotation() {
        CommandLineRun run = train("train", CommandLineRun.sample("rosenbrock.model"));
        Matcher stopped = STOPPED.matcher(last(run.outLines()));
        assertTrue(stopped.matches(), run.out());
        // Below 1e-6, six decimals would read 0.000000; three significant digits say how far below.
        assertTrue(stopped.group(2).matches("\\d(\\.\\d{1,2})?e-\\d\\d"), stopped.group(2));
        assertTrue(Double.parseDouble(stopped.group(2)) < 1e-6);
    }

    @Test
    void tinyAndHugeValuesInTheTableKeepTheirSize() throws Exception {
        // The seed example without its stop condition. With lr 0.1, x_n = -3 * 0.8^n and
        // y_n = -3 * 0.6^n; at n = 60 both are far below 1e-4.
        Path model = Files.writeString(temp.resolve("quadratic.model"), Files.readString(
                Path.of(CommandLineRun.quadratic())).replace("stop when J < 0.005", ""), StandardCharsets.UTF_8);
        CommandLineRun run = train("train", model.toString(), "--steps", "60", "--every", "30");
        for (String[] row : run.tableRows()) {
            int n = Integer.parseInt(row[0]);
            double x = -3 * Math.pow(0.8, n);
            double y = -3 * Math.pow(0.6, n);
            assertClose(x, row[1]);
            assertClose(y, row[2]);
            assertClose(x * x + 2 * y * y, row[3]);
        }
        assertEquals(List.of("0", "30", "60"), run.tableRows().stream().map(r -> r[0]).toList());
        // Under lr 1.5, x_n = -3 * (-2)^n: at n = 40 the table shows -3.3e+12, not thirteen digits.
        CommandLineRun growing = train("train", model.toString(), "--lr", "1.5", "--steps", "40", "--every", "40");
        String[] end = growing.tableRows().get(growing.tableRows().size() - 1);
        assertEquals("40", end[0]);
        assertTrue(end[1].matches("-?\\d\\.\\d+e\\+\\d\\d"), String.join(" ", end));
        assertClose(-3 * Math.pow(-2, 40), end[1]);
    }

    private static void assertClose(double expected, String printed) {
        double value = Double.parseDouble(printed);
        double scale = Math.abs(expected);
        boolean plain = scale >= 1e-4 && scale < 1e7;
        assertEquals(!plain, printed.contains("e"), printed + " for " + expected);
        // Six decimals, or three significant digits.
        assertEquals(expected, value, plain ? 5e-7 : scale * 6e-3, printed);
    }

    @Test
    void everyChoosesTheRowsAndQuietPrintsNone() {
        CommandLineRun every = train("train", CommandLineRun.sample("rosenbrock.model"), "--every", "100");
        List<String> iterations = every.tableRows().stream().map(r -> r[0]).toList();
        List<String> stepped = iterations.subList(0, iterations.size() - 1);
        assertEquals(List.of("0", "100", "200", "300", "400", "500"), stepped);
        assertTrue(last(every.outLines()).contains("after " + last(iterations) + " updates"), every.out());

        CommandLineRun quiet = train("train", CommandLineRun.sample("rosenbrock.model"), "--quiet");
        assertEquals(2, quiet.outLines().size(), quiet.out());
        assertTrue(quiet.outLines().get(0).startsWith("training Rosenbrock "), quiet.out());
        assertEquals(last(every.outLines()), last(quiet.outLines()));

        CommandLineRun all = train("train", CommandLineRun.quadratic(), "--every", "1");
        assertEquals(train("train", CommandLineRun.quadratic()).out(), all.out(), "the seed's table is whole");
        assertEquals(18, all.tableRows().size());
    }

    @Test
    void badEveryOrBothFlagsAreBadInput() {
        CommandLineRun zero = CommandLineRun.of("train", CommandLineRun.quadratic(), "--every", "0");
        assertEquals(2, zero.exitCode(), zero.transcript());
        assertEquals("modelc: error: --every must be 1 or more, got 0", zero.errLines().get(0));
        CommandLineRun both = CommandLineRun.of("train", CommandLineRun.quadratic(), "--every", "2", "-q");
        assertEquals(2, both.exitCode(), both.transcript());
        assertEquals("", both.out());
    }

    @Test
    void theHeaderOfADataRunStatesEveryLimit() throws Exception {
        Files.writeString(temp.resolve("line.csv"), "0,1\n1,3\n2,5\n3,7\n", StandardCharsets.UTF_8);
        String model = """
                model Line
                input x : [batch, 1]
                input y : [batch]
                param w : [1] = 0
                param b = 0
                loss L = mse(x @ w + b, y)
                train {
                  data csv("line.csv", label = last)
                  batch 2
                  optimizer gd(lr = 0.01)
                  %s
                }
                """;
        Path limited = Files.writeString(temp.resolve("limited.model"), model.formatted("max_steps 5"));
        CommandLineRun run = train("train", limited.toString());
        assertTrue(run.outLines().get(0).endsWith(", data line.csv, 10 epochs, at most 5 updates"), run.out());
        assertTrue(run.out().contains("stopped: max_steps reached after 5 steps"), run.out());
        Path epochs = Files.writeString(temp.resolve("epochs.model"), model.formatted("epochs 3"));
        CommandLineRun byEpochs = train("train", epochs.toString(), "--every", "2");
        assertTrue(byEpochs.outLines().get(0).endsWith(", data line.csv, 3 epochs"), byEpochs.out());
        List<String> epochLines = byEpochs.outLines().stream().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(3, epochLines.size(), "the first, the second (every 2) and the last: " + byEpochs.out());
        CommandLineRun quiet = train("train", epochs.toString(), "--quiet");
        assertTrue(quiet.outLines().stream().noneMatch(l -> l.startsWith("epoch ")), quiet.out());
        assertTrue(last(quiet.outLines()).startsWith("b = ") || quiet.out().contains("done: 3 epochs"), quiet.out());
    }
}
