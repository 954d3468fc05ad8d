package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --save/--resume/--init}: a run split by a checkpoint ends where an unbroken run
 * does, bit for bit, and a checkpoint that cannot be used is refused with exit code 2 before
 * anything is trained or written.
 */
class CheckpointFlagsTest {
    @TempDir
    Path temp;

    private String path(String name) {
        return temp.resolve(name).toString();
    }

    private static double[] values(String file, String tensor) throws Exception {
        return Checkpoint.read(Path.of(file)).file().tensors().get(tensor).values();
    }

    @Test
    void theSeedExampleResumedFromAnyStepEndsAsAnUnbrokenRun() throws Exception {
        for (String dtype : List.of("f64", "f32")) {
            run(0, "--steps", "10", "--dtype", dtype, "--save", path("whole.st"));
            for (int split : new int[] {1, 4, 9}) {
                run(0, "--steps", Integer.toString(split), "--dtype", dtype, "--save", path("part.st"));
                CommandLineRun rest = run(0, "--steps", "10", "--dtype", dtype, "--resume", path("part.st"),
                        "--save", path("rest.st"));
                assertTrue(rest.outLines().get(0).endsWith(", resumed at step " + split), rest.out());
                assertEquals(Integer.toString(split), rest.tableRows().get(0)[0], "numbering goes on");
                assertArrayEquals(values(path("whole.st"), "x"), values(path("rest.st"), "x"), dtype + " " + split);
                assertArrayEquals(values(path("whole.st"), "y"), values(path("rest.st"), "y"), dtype + " " + split);
                assertEquals(10, Checkpoint.read(Path.of(path("rest.st"))).position().steps());
            }
        }
    }

    @Test
    void stepsZeroSavesTheInitialValues() throws Exception {
        CommandLineRun run = run(0, "--steps", "0", "--save", path("init.st"));
        assertEquals("saved " + path("init.st") + " at step 0", run.outLines().get(run.outLines().size() - 1));
        assertArrayEquals(new double[] {-3}, values(path("init.st"), "x"));
        assertArrayEquals(new double[] {-3}, values(path("init.st"), "y"));
    }

    @Test
    void stepsZeroWithDataTrainsNothingAndSavesTheInitialValues() throws Exception {
        String model = Path.of(System.getProperty("modelc.samples"), "logistic_regression.model").toString();
        CommandLineRun saved = CommandLineRun.of("train", model, "--steps", "0", "--save", path("zero.st"));
        assertEquals(0, saved.exitCode(), saved.transcript());
        assertTrue(saved.out().contains("nothing to train: 0 steps of at most 0 are done\n"), saved.out());
        assertArrayEquals(new double[30], values(path("zero.st"), "w"), "w = zeros");
        assertEquals(0, Checkpoint.read(Path.of(path("zero.st"))).position().steps());
        CommandLineRun unsaved = CommandLineRun.of("train", model, "--steps", "0");
        assertEquals(0, unsaved.exitCode(), unsaved.transcript());
        assertTrue(unsaved.out().endsWith("nothing to train: 0 steps of at most 0 are done\n"), unsaved.out());
    }

    @Test
    void initTakesTheParamsAndStartsAfresh() throws Exception {
        run(0, "--steps", "5", "--save", path("five.st"));
        CommandLineRun run = run(0, "--steps", "2", "--init", path("five.st"));
        String[] first = run.tableRows().get(0);
        assertEquals("0", first[0], "a fresh run counts from 0");
        // Each update multiplies x by 0.8 and y by 0.6.
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", -3 * Math.pow(0.8, 5)), first[1]);
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", -3 * Math.pow(0.6, 5)), first[2]);
    }

    @Test
    void aDataModelWithMomentumResumedMidEpochWritesTheSameCheckpoint() throws Exception {
        Path model = momentumModel();
        for (String dtype : List.of("f64", "f32")) {
            runOn(model, 0, "--steps", "40", "--dtype", dtype, "--save", path("whole.st"));
            for (int split : new int[] {3, 15, 17}) {
                runOn(model, 0, "--steps", Integer.toString(split), "--dtype", dtype, "--save", path("part.st"));
                runOn(model, 0, "--steps", "40", "--dtype", dtype, "--resume", path("part.st"), "--save",
                        path("rest.st"));
                assertArrayEquals(Files.readAllBytes(Path.of(path("whole.st"))),
                        Files.readAllBytes(Path.of(path("rest.st"))), dtype + " split at " + split
                                + ": params, velocities, position and checksum all equal");
            }
        }
        CommandLineRun otherBatch = runOn(model, 2, "--batch", "16", "--resume", path("part.st"));
        assertEquals("modelc: error: --batch 16 differs from the checkpoint's batch size 32; a resumed run keeps "
                + "its batches", otherBatch.errLines().get(0));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "optimizer sgd(lr = 0.05, momentum = 0.9, nesterov = true, weight_decay = 0.01)",
        "optimizer adam(lr = 0.01)",
        "optimizer adamw(lr = 0.01, weight_decay = 0.1)",
        "optimizer rmsprop(lr = 0.01, momentum = 0.5, centered = true)",
        "optimizer adagrad(lr = 0.1, lr_decay = 0.01)",
        "optimizer adam(lr = 0.01)\n  schedule step(step_size = 7, gamma = 0.5)",
        "optimizer sgd(lr = 0.05)\n  schedule cosine(steps = 40, warmup = 5)"})
    void everyOptimizerResumesExactly(String optimizer) throws Exception {
        Path model = Files.writeString(temp.resolve("optimizer.model"), Files.readString(momentumModel())
                .replace("optimizer sgd(lr = 0.05, momentum = 0.9)", optimizer.replace("\\n", "\n")));
        runOn(model, 0, "--steps", "40", "--save", path("whole.st"));
        for (int split : new int[] {3, 15, 17}) {
            runOn(model, 0, "--steps", Integer.toString(split), "--save", path("part.st"));
            runOn(model, 0, "--steps", "40", "--resume", path("part.st"), "--save", path("rest.st"));
            assertArrayEquals(Files.readAllBytes(Path.of(path("whole.st"))), Files.readAllBytes(Path.of(path("rest.st"))),
                    optimizer + ", split at " + split + ": params, optimizer state, position and checksum all equal");
        }
    }

    /**
     * The plateau's rate, best loss and counts travel in the checkpoint. Four batches an epoch; the loss must
     * fall by a fifth each epoch or the rate halves, with one epoch of cooldown after each halving, so the
     * rate halves after 16, 24, 32, 40 and 48 updates. Split 3 is before any halving; 18 is in the middle of the
     * epoch after the first (cooldown pending); 24 is the epoch's end that has just halved it again.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sgd(lr = 0.05, momentum = 0.9)", "adam(lr = 0.01)"})
    void reduceOnPlateauResumesExactly(String optimizer) throws Exception {
        Path model = Files.writeString(temp.resolve("plateau.model"), Files.readString(momentumModel())
                .replace("batch 32 shuffle", "batch 128 shuffle").replace("epochs 3", "epochs 12")
                .replace("optimizer sgd(lr = 0.05, momentum = 0.9)", "optimizer " + optimizer
                        + "\n  schedule reduce_on_plateau(factor = 0.5, patience = 0, threshold = 0.2, cooldown = 1)"));
        for (String dtype : List.of("f64", "f32")) {
            runOn(model, 0, "--dtype", dtype, "--save", path("whole.st"), "--log", path("whole.csv"));
            List<String[]> log = Files.readAllLines(temp.resolve("whole.csv")).stream().skip(1)
                    .map(line -> line.split(",")).toList();
            double base = Double.parseDouble(log.get(0)[2]);
            assertEquals(base / 32, Double.parseDouble(Checkpoint.read(Path.of(path("whole.st"))).file().metadata()
                    .get("plateau_rate")), "five halvings in the unbroken run");
            for (int split : new int[] {3, 18, 24}) {
                runOn(model, 0, "--dtype", dtype, "--steps", Integer.toString(split), "--save", path("part.st"));
                Map<String, String> saved = Checkpoint.read(Path.of(path("part.st"))).file().metadata();
                double nextRate = Double.parseDouble(log.get(split + 1)[2]);
                String what = optimizer + " " + dtype + ", split at " + split;
                assertEquals(split != 3, nextRate < base, what + ": the rate has been halved before the split");
                assertEquals(nextRate, Double.parseDouble(saved.get("plateau_rate")), what);
                runOn(model, 0, "--dtype", dtype, "--resume", path("part.st"), "--save", path("rest.st"));
                assertArrayEquals(Files.readAllBytes(Path.of(path("whole.st"))),
                        Files.readAllBytes(Path.of(path("rest.st"))), what + ": everything equal, plateau included");
            }
        }
    }

    /**
     * Without data every update is an epoch for the plateau. J falls by at most 0.64 an update, so with
     * threshold 0.5 and patience 0 every other update is no better than the best: the rate first halves
     * after 4 updates.
     */
    @Test
    void theSeedExampleUnderAPlateauResumesExactlyAndLrRestartsItsRate() throws Exception {
        Path model = Files.writeString(temp.resolve("quadratic.model"), Files.readString(Path.of(
                CommandLineRun.quadratic())).replace("  max_steps 100", "  schedule reduce_on_plateau(factor = 0.5, "
                + "patience = 0, threshold = 0.5)\n  max_steps 100").replace("  stop when J < 0.005\n", ""));
        for (String dtype : List.of("f64", "f32")) {
            runOn(model, 0, "--steps", "20", "--dtype", dtype, "--save", path("whole.st"));
            for (int split : new int[] {2, 6, 11}) {
                runOn(model, 0, "--steps", Integer.toString(split), "--dtype", dtype, "--save", path("part.st"));
                Map<String, String> saved = Checkpoint.read(Path.of(path("part.st"))).file().metadata();
                assertEquals(split > 4, Double.parseDouble(saved.get("plateau_rate"))
                        < Double.parseDouble(saved.get("learning_rate")), dtype + " " + split + ": halved by now");
                runOn(model, 0, "--steps", "20", "--dtype", dtype, "--resume", path("part.st"), "--save",
                        path("rest.st"));
                assertArrayEquals(Files.readAllBytes(Path.of(path("whole.st"))),
                        Files.readAllBytes(Path.of(path("rest.st"))), dtype + " split at " + split);
            }
        }
        runOn(model, 0, "--steps", "11", "--save", path("part.st"));
        runOn(model, 0, "--steps", "12", "--resume", path("part.st"), "--lr", "0.3", "--save", path("lr.st"),
                "--log", path("lr.csv"));
        // A row's rate is the one its update uses: row 11 is the first update after resuming.
        assertTrue(Files.readAllLines(temp.resolve("lr.csv")).get(1).startsWith("11,0,0.3,"),
                "the first update after resuming with --lr takes that rate");
        Map<String, String> after = Checkpoint.read(Path.of(path("lr.st"))).file().metadata();
        assertEquals("0.3", after.get("learning_rate"));
        // The plateau kept its best loss, which the loss before update 12 did not beat: the rate halves at once.
        assertEquals("0.15", after.get("plateau_rate"));
    }

    @Test
    void unusableCheckpointsAreRefusedBeforeAnythingIsWritten() throws Exception {
        run(0, "--steps", "3", "--save", path("good.st"));
        byte[] good = Files.readAllBytes(Path.of(path("good.st")));
        Files.write(Path.of(path("cut.st")), Arrays.copyOf(good, good.length - 4));
        assertRefused(path("cut.st") + ": the tensors take 16 bytes, but the file holds 12 after the header: it is "
                + "truncated", "--resume", path("cut.st"));
        byte[] flipped = good.clone();
        flipped[30] ^= 1;
        Files.write(Path.of(path("flipped.st")), flipped);
        assertRefused(path("flipped.st") + ": ", "--resume", path("flipped.st"));
        assertRefused(path("missing.st") + ": no such file", "--resume", path("missing.st"));
        byte[] unnamed = new String(good, StandardCharsets.ISO_8859_1).replace("\"checksum\"", "\"checksuM\"")
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(Path.of(path("unnamed.st")), unnamed);
        for (String flag : List.of("--resume", "--init")) {
            assertRefused(path("unnamed.st") + ": its metadata has no checksum, which every modelc checkpoint has: the "
                    + "file is damaged", flag, path("unnamed.st"));
        }
        assertRefused("--resume and --init both load a checkpoint; give one", "--resume", path("good.st"),
                "--init", path("good.st"));
        assertRefused("--seed 9 differs from the checkpoint's seed 0; a resumed run keeps its seed, which chose "
                + "the initial values, the data split and the shuffles", "--resume", path("good.st"), "--seed", "9");
        Path polar = Path.of(System.getProperty("modelc.samples"), "polar.model");
        CommandLineRun other = CommandLineRun.of("train", polar.toString(), "--resume", path("good.st"), "--save",
                path("out.st"));
        assertEquals(2, other.exitCode(), other.transcript());
        assertTrue(other.err().contains("it was saved from another model"), other.err());
        assertTrue(other.err().contains("the checkpoint has `param x []` (and 1 more) where this model has "
                + "`param r []`"), other.err());
        assertFalse(Files.exists(Path.of(path("out.st"))));
        assertArrayEquals(good, Files.readAllBytes(Path.of(path("good.st"))));
    }

    private void assertRefused(String message, String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("train", CommandLineRun.quadratic()));
        args.addAll(List.of(flags));
        args.addAll(List.of("--save", path("never.st"), "--log", path("never.csv"), "--plot", path("never.png")));
        CommandLineRun run = CommandLineRun.of(args.toArray(new String[0]));
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.errLines().get(0).startsWith("modelc: error: " + message), run.transcript());
        assertFalse(run.err().contains("\tat "), "no stack trace");
        assertEquals("", run.out(), "nothing trained");
        for (String never : List.of("never.st", "never.csv", "never.png")) {
            assertFalse(Files.exists(temp.resolve(never)), never);
        }
    }

    private static CommandLineRun run(int exitCode, String... flags) {
        String[] args = new String[flags.length + 2];
        args[0] = "train";
        args[1] = CommandLineRun.quadratic();
        System.arraycopy(flags, 0, args, 2, flags.length);
        CommandLineRun run = CommandLineRun.of(args);
        assertEquals(exitCode, run.exitCode(), run.transcript());
        return run;
    }

    private static CommandLineRun runOn(Path model, int exitCode, String... flags) {
        String[] args = new String[flags.length + 2];
        args[0] = "train";
        args[1] = model.toString();
        System.arraycopy(flags, 0, args, 2, flags.length);
        CommandLineRun run = CommandLineRun.of(args);
        assertEquals(exitCode, run.exitCode(), run.transcript());
        return run;
    }

    /** The breast cancer sample, trained with momentum: 455 training rows, 15 batches of 32 an epoch. */
    private Path momentumModel() throws Exception {
        Path data = Path.of(System.getProperty("modelc.samples"), "data", "breast_cancer.csv").toAbsolutePath();
        String text = "model Momentum\ninput x : [batch, 30]\ninput y : [batch]\nparam w : [30] = normal(0, 0.1)\n"
                + "param b = 0\nloss L = mean(bce_with_logits(x @ w + b, y))\ntrain {\n"
                + "  data csv(\"" + data.toString().replace("\\", "/") + "\", label = last, skip = 1, test = 0.2, "
                + "standardize = true)\n  batch 32 shuffle\n  optimizer sgd(lr = 0.05, momentum = 0.9)\n"
                + "  epochs 3\n  seed 4\n}\n";
        return Files.writeString(temp.resolve("momentum.model"), text);
    }
}
