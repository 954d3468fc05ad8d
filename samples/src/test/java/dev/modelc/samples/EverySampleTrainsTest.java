package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every sample with a stop condition trains from the command line until it holds. */
class EverySampleTrainsTest {

    @TestFactory
    Stream<DynamicTest> everySampleReachesItsStopCondition() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(CommandLineRun.samples())) {
            samples = files.filter(f -> f.getFileName().toString().endsWith(".model"))
                    .filter(EverySampleTrainsTest::hasStopCondition).sorted().toList();
        }
        assertFalse(samples.isEmpty(), "no samples in " + CommandLineRun.samples());
        return samples.stream().map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(),
                () -> trainsToItsStopCondition(sample)));
    }

    private static boolean hasStopCondition(Path sample) {
        try {
            return Files.readString(sample).contains("stop when");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void trainsToItsStopCondition(Path sample) {
        CommandLineRun run = CommandLineRun.of("train", sample.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.err().matches("\\d+ steps in [0-9.]+ s: \\d+ steps/s\\R"), run.transcript());
        List<String> lines = run.outLines();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("stopped: ") && !last.startsWith("stopped: max_steps"), run.transcript());
        // The stop line ends "(J = 0.004564)": it names the loss, whose column the header shows.
        Matcher loss = Pattern.compile("\\((\\S+) = [^)]*\\)$").matcher(last);
        assertTrue(loss.find(), last);
        int lossColumn = List.of(lines.get(1).trim().split("\\s+")).indexOf(loss.group(1));
        List<String[]> rows = run.tableRows();
        double first = Double.parseDouble(rows.get(0)[lossColumn]);
        double end = Double.parseDouble(rows.get(rows.size() - 1)[lossColumn]);
        assertTrue(end < first, "the loss fell from " + first + " to " + end);
    }
}
