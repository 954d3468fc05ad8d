package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each workload's generated code and its PyTorch twin (bench/pytorch/workloads.py), started
 * from the same exported parameters and data, compute the same first three losses to 1e-4
 * relative. Skipped only where PyTorch is not installed, and never in CI (CI=true), which
 * installs it.
 */
class AgreementWithPyTorchTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("pytorch", "workloads.py");
    private static final double TOLERANCE = 1e-4;

    @Test
    void everyWorkloadsFirstThreeLossesMatchPyTorchs(@TempDir Path dir) throws Exception {
        requireTorch();
        List<Workload> workloads = List.of(Workload.values());
        List<TrainingRun> runs = Export.write(dir, workloads);
        Map<String, double[]> torch = parse(run(PYTHON, SCRIPT.toString(), "check", dir.toString()));
        assertEquals(workloads.size(), torch.size(), "PyTorch losses for every workload: " + torch.keySet());
        StringBuilder mismatches = new StringBuilder();
        for (int w = 0; w < workloads.size(); w++) {
            double[] ours = runs.get(w).losses(3);
            double[] theirs = torch.get(workloads.get(w).name());
            for (int s = 0; s < 3; s++) {
                if (Math.abs(ours[s] - theirs[s]) > TOLERANCE * Math.abs(theirs[s])) {
                    mismatches.append(workloads.get(w)).append(" step ").append(s).append(": modelc ")
                            .append(Arrays.toString(ours)).append(", PyTorch ").append(Arrays.toString(theirs))
                            .append('\n');
                }
            }
        }
        assertTrue(mismatches.length() == 0, mismatches.toString());
    }

    @Test
    void theSeedExampleStartsAtTheSeedsLoss(@TempDir Path dir) throws Exception {
        // J(-3, -3) = 9 + 18 = 27, then each update scales x by 0.8 and y by 0.6.
        double[] losses = Export.write(dir, List.of(Workload.W1)).get(0).losses(3);
        assertEquals(27.0, losses[0], 1e-12);
        assertEquals(0.64 * 9 + 0.36 * 18, losses[1], 1e-12);
        assertEquals(0.64 * 0.64 * 9 + 0.36 * 0.36 * 18, losses[2], 1e-12);
    }

    private static void requireTorch() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON))
                && exitCode(PYTHON, "-c", "import torch") == 0;
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install python3-torch and libopenblas0-pthread for this test");
        }
        Assumptions.assumeTrue(present, "PyTorch is not installed (apt-get install python3-torch)");
    }

    /** {"W1": [27.0, 12.24, 6.0192], ...} as a map. */
    private static Map<String, double[]> parse(String json) {
        Map<String, double[]> losses = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(W\\d)\": \\[([^\\]]*)\\]").matcher(json);
        while (m.find()) {
            losses.put(m.group(1), Arrays.stream(m.group(2).split(",")).mapToDouble(Double::parseDouble).toArray());
        }
        return losses;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "PyTorch did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static int exitCode(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}
