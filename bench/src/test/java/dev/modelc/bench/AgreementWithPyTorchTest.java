package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * from the same exported parameters and data, agree: every parameter's gradient at the first
 * step (1e-4 relative in f32, 1e-10 in f64, in norm over each tensor), the first three losses
 * (1e-4), W4's losses across its partial last batch into the next epoch's order (steps 55 to
 * 58), and W4 trained under the optimizers, schedule and clipping the workloads leave out. The
 * comparison is shown to notice: each bias gradient 10% off fails it.
 *
 * <p>One exception, measured: W6's second layer has 256 x 4096 (about a million)
 * pre-activations, each a sum of 4096 products in f32, spread about as N(0, 2). Summed in
 * another order (ours and OpenBLAS's differ) such a sum may move by up to 4096 x 2^-24 = 2.4e-4
 * of the sum of its terms' magnitudes (about 41 here: 1e-2), and typically by
 * sqrt(4096) x 2^-24 x 1.4, about 5e-6. About 3 of the million lie that close to 0 (density 0.28
 * there), where the ReLU goes either way; in this data one, at 1.5e-8, falls on opposite sides
 * in the two runs, so one row of one unit counts on one side only. That moves W6's gradients
 * below it by up to 5.4e-4 (W1), which is what a kink does, not a wrong rule (PyTorch in float
 * against PyTorch in double: 5e-7); those gradients are held to 1e-3, not 1e-4. Every other
 * gradient agrees to 1e-6 or better.
 *
 * <p>Skipped only where PyTorch is not installed, and never in CI (CI=true), which installs it.
 */
class AgreementWithPyTorchTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("pytorch", "workloads.py");
    private static final double F32_TOLERANCE = 1e-4;
    private static final double F64_TOLERANCE = 1e-10;
    /** Losses compared per workload; W4's reach its second epoch, as in workloads.py. */
    private static final Map<Workload, Integer> STEPS = Map.of(Workload.W4, 59);
    /** W6's gradients behind its ReLUs, where one pre-activation rounds to the other side of 0 (see above). */
    private static final double KINKED_TOLERANCE = 1e-3;
    private static final List<String> KINKED = List.of("W6.W1", "W6.b1", "W6.W2", "W6.b2");
    /** Steps of each optimizer twin, as in workloads.py. */
    private static final int TWIN_STEPS = 12;
    /** W4's train block under each twin's name in workloads.py. */
    private static final Map<String, String> TWINS = new LinkedHashMap<>();

    static {
        TWINS.put("rmsprop_centered_momentum", "optimizer rmsprop(lr = 0.001, momentum = 0.9, centered = true)");
        TWINS.put("adagrad_lr_decay", "optimizer adagrad(lr = 0.05, lr_decay = 0.01)");
        TWINS.put("adamw", "optimizer adamw(lr = 0.001)");
        TWINS.put("cosine_clip_norm", "optimizer adam(lr = 0.01)\n  schedule cosine(steps = " + TWIN_STEPS
                + ")\n  clip_norm 0.5");
    }

    @Test
    void everyWorkloadsGradientsAndLossesMatchPyTorchs(@TempDir Path dir) throws Exception {
        requireTorch();
        List<Workload> workloads = List.of(Workload.values());
        List<TrainingRun> runs = Export.write(dir, workloads);
        Map<String, double[]> torch = parse(run(PYTHON, SCRIPT.toString(), "check", dir.toString()));
        assertEquals(workloads.size(), torch.size(), "PyTorch losses for every workload: " + torch.keySet());
        StringBuilder mismatches = new StringBuilder();
        for (int w = 0; w < workloads.size(); w++) {
            Workload workload = workloads.get(w);
            TrainingRun run = runs.get(w);
            double[] theirs = torch.get(workload.name());
            assertEquals(STEPS.getOrDefault(workload, 3), theirs.length, workload + "'s losses from PyTorch");
            double[] ours = new double[theirs.length];
            ours[0] = run.losses(0, 1)[0];
            mismatches.append(gradientMismatches(workload, run.model(), dir.resolve(workload.name())));
            System.arraycopy(run.losses(1, theirs.length), 0, ours, 1, theirs.length - 1);
            mismatches.append(lossMismatches(workload.name(), ours, theirs, tolerance(run.model())));
        }
        assertTrue(mismatches.length() == 0, mismatches.toString());
    }

    @Test
    void theDigitsMlpMatchesPyTorchUnderOtherOptimizersSchedulesAndClipping(@TempDir Path dir) throws Exception {
        requireTorch();
        Export.write(dir, List.of(Workload.W4));
        String json = run(PYTHON, SCRIPT.toString(), "twins", dir.toString());
        StringBuilder mismatches = new StringBuilder();
        for (Map.Entry<String, String> twin : TWINS.entrySet()) {
            String name = twin.getKey();
            Matcher m = Pattern.compile("\"" + name + "\": \\{\"losses\": \\[([^\\]]*)\\], \"clipped\": (\\d+)\\}")
                    .matcher(json);
            assertTrue(m.find(), name + " in " + json);
            double[] theirs = Arrays.stream(m.group(1).split(",")).mapToDouble(Double::parseDouble).toArray();
            TrainingRun run = TrainingRun.start(Workload.W4, Workload.W4.compile(Workload.W4.source()
                    .replace("optimizer sgd(lr = 0.01, momentum = 0.9)", twin.getValue())));
            run.scheduled(LearningRateSchedule.of(run.model().signature(), TWIN_STEPS));
            mismatches.append(lossMismatches(name, run.losses(0, TWIN_STEPS), theirs, F32_TOLERANCE));
            mismatches.append(tensorMismatches(name + " after " + TWIN_STEPS + " steps, param", run.model(),
                    dir.resolve("twins").resolve(name), "param_", TrainableModel::param, param -> F32_TOLERANCE));
            if (name.contains("clip")) {
                assertTrue(Integer.parseInt(m.group(2)) > 0, "the clipping twin clips: " + json);
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

    /**
     * The test of the test: the gradient comparison fails a bias gradient 10% off, as the
     * audit's broken broadcast rule made it, and passes the gradient as it is.
     */
    @Test
    void aBiasGradientTenPercentOffFails() {
        double[] bias = {0.25, -0.125, 1e-3, 0.5};
        double[] off = Arrays.stream(bias).map(g -> g * 1.1).toArray();
        assertTrue(relativeError(off, bias) > F32_TOLERANCE, "10% off must fail");
        assertTrue(relativeError(bias, bias) == 0, "the same gradient passes");
        double[] single = {0.3};
        assertTrue(relativeError(new double[] {0.33}, single) > F32_TOLERANCE);
    }

    private interface Element {
        double get(TrainableModel model, int param, int index);
    }

    /** Every parameter's gradient against PyTorch's, and the same comparison noticing each bias gradient 10% off. */
    private static String gradientMismatches(Workload workload, TrainableModel model, Path folder) throws IOException {
        ToleranceOf tolerance = param -> KINKED.contains(workload + "." + param) ? KINKED_TOLERANCE : tolerance(model);
        String found = tensorMismatches(workload + " step 0, gradient", model, folder, "grad_",
                TrainableModel::gradient, tolerance);
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            String name = params.get(p).name();
            if (name.startsWith("b")) {
                double[] off = Arrays.stream(values(model, p, TrainableModel::gradient)).map(g -> g * 1.1).toArray();
                double[] theirs = read(folder.resolve("grad_" + name + ".f64"));
                assertTrue(relativeError(off, theirs) > tolerance.of(name), workload + ": a gradient of " + name
                        + " 10% off would pass");
            }
        }
        return found;
    }

    private interface ToleranceOf {
        double of(String param);
    }

    private static String tensorMismatches(String what, TrainableModel model, Path folder, String prefix,
                                           Element element, ToleranceOf tolerance) throws IOException {
        StringBuilder mismatches = new StringBuilder();
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            String name = params.get(p).name();
            double[] theirs = read(folder.resolve(prefix + name + ".f64"));
            double[] ours = values(model, p, element);
            assertEquals(theirs.length, ours.length, what + " " + name + ": sizes");
            double error = relativeError(ours, theirs);
            System.out.printf("%s %s: relative error %.3g%n", what, name, error);
            if (!(error <= tolerance.of(name))) {
                mismatches.append(what).append(' ').append(name).append(": relative error ").append(error)
                        .append('\n');
            }
        }
        return mismatches.toString();
    }

    private static String lossMismatches(String what, double[] ours, double[] theirs, double tolerance) {
        StringBuilder mismatches = new StringBuilder();
        for (int s = 0; s < theirs.length; s++) {
            if (!(Math.abs(ours[s] - theirs[s]) <= tolerance * Math.abs(theirs[s]))) {
                mismatches.append(what).append(" step ").append(s).append(": modelc ").append(ours[s])
                        .append(", PyTorch ").append(theirs[s]).append('\n');
            }
        }
        return mismatches.toString();
    }

    /**
     * The norm of the difference over the norm of PyTorch's tensor (0 when both are all 0): in
     * float, a ReLU whose input rounds to the other side of 0 changes a few elements outright,
     * which the norm weighs for what they are.
     */
    static double relativeError(double[] ours, double[] theirs) {
        double difference = 0;
        double scale = 0;
        for (int i = 0; i < theirs.length; i++) {
            difference += (ours[i] - theirs[i]) * (ours[i] - theirs[i]);
            scale += theirs[i] * theirs[i];
        }
        return difference == 0 ? 0 : Math.sqrt(difference / scale);
    }

    private static double tolerance(TrainableModel model) {
        return model.signature().dtype().equals("f64") ? F64_TOLERANCE : F32_TOLERANCE;
    }

    private static double[] values(TrainableModel model, int param, Element element) {
        double[] values = new double[model.signature().params().get(param).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = element.get(model, param, i);
        }
        return values;
    }

    private static double[] read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[bytes.remaining() / 8];
        bytes.asDoubleBuffer().get(values);
        return values;
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
