package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM during {@code train}, sent to a modelc of its own: the first finishes the
 * step in progress, saves the checkpoint, ends the log on a whole row, says where the run stopped
 * and how to go on, and exits with 130 (143); the run it names goes on exactly as if never
 * stopped. A second signal ends the process at once, before anything is saved.
 */
class InterruptedTrainingTest {
    private static final Pattern STOPPED = Pattern.compile("modelc: stopped by (Ctrl-C|SIGTERM) after update (\\d+)"
            + "(?: \\(epoch (\\d+), (\\d+) batches into it\\))?\n");
    private static final Pattern GO_ON = Pattern.compile("modelc: to go on from there: modelc (.*)\n");

    @TempDir
    Path folder;

    private int runs;

    @Test
    void ctrlCSavesTheStepItStoppedAtAndSaysHowToGoOn() throws Exception {
        Path model = Files.writeString(folder.resolve("bowl.model"), "model Bowl\nparam x = 3.0\nparam y = -2.0\n"
                + "loss L = x^2 + 4 * y^2\ntrain {\n  optimizer adam(lr = 0.001)\n  max_steps 1000000000\n}\n");
        Path saved = folder.resolve("bowl.st");
        Path log = folder.resolve("bowl.csv");
        Run run = start("train", model.toString(), "--save", saved.toString(), "--log", log.toString());
        signalWhenTraining(run, "INT");
        assertTrue(run.process().waitFor(120, TimeUnit.SECONDS), "still running after Ctrl-C");
        String err = run.errText();
        assertEquals(130, run.process().exitValue(), err);
        Matcher stopped = STOPPED.matcher(err);
        assertTrue(stopped.find(), err);
        long steps = Long.parseLong(stopped.group(2));
        assertTrue(steps > 0, err);
        Checkpoint checkpoint = Checkpoint.read(saved);
        assertEquals(steps, checkpoint.position().steps());
        // Row n is the loss after n updates: the last row is the step whose update was the last.
        List<String> rows = Files.readAllLines(log);
        assertEquals("step,epoch,lr,L,x,y", rows.get(0));
        assertEquals(steps, rows.size() - 1, "one row per update made");
        assertTrue(Files.readString(log).endsWith("\n"));
        String last = rows.get(rows.size() - 1);
        assertEquals(6, last.split(",").length, last);
        assertTrue(last.startsWith((steps - 1) + ",0,"), last);
        Matcher goOn = GO_ON.matcher(err);
        assertTrue(goOn.find(), err);
        assertEquals("train " + model + " --save " + saved + " --log " + log + " --resume " + saved, goOn.group(1));
    }

    @Test
    void sigtermMidEpochResumesAsIfNeverStopped() throws Exception {
        try (Writer csv = Files.newBufferedWriter(folder.resolve("line.csv"))) {
            for (int row = 0; row < 200; row++) {
                csv.write(row % 17 * 0.1 + "," + (0.5 - row % 13 * 0.2) + "\n");
            }
        }
        Path model = Files.writeString(folder.resolve("line.model"), "model Line\ninput x : [batch, 1]\n"
                + "input y : [batch]\nparam w : [1] = 0\nparam b = 0\nloss L = mse(x @ w + b, y)\ntrain {\n"
                + "  data csv(\"line.csv\", label = last, test = 0.1)\n  batch 7 shuffle\n  epochs 100000000\n"
                + "  optimizer sgd(lr = 0.01, momentum = 0.9)\n}\n");
        Path saved = folder.resolve("line.st");
        Run run = start("train", model.toString(), "--save", saved.toString());
        signalWhenTraining(run, "TERM");
        assertTrue(run.process().waitFor(120, TimeUnit.SECONDS), "still running after SIGTERM");
        String err = run.errText();
        assertEquals(143, run.process().exitValue(), err);
        Matcher stopped = STOPPED.matcher(err);
        assertTrue(stopped.find(), err);
        assertEquals("SIGTERM", stopped.group(1));
        long epoch = Long.parseLong(stopped.group(3));
        Checkpoint checkpoint = Checkpoint.read(saved);
        assertEquals(Long.parseLong(stopped.group(2)), checkpoint.position().steps());
        assertEquals(epoch, checkpoint.position().epoch());
        assertEquals(Long.parseLong(stopped.group(4)), checkpoint.position().batchesDone());

        // The run goes on to the end of the epoch after, and ends where an unbroken run ends.
        String epochs = Long.toString(epoch + 1);
        Path resumed = folder.resolve("resumed.st");
        Path unbroken = folder.resolve("unbroken.st");
        assertEquals(0, start("train", model.toString(), "--resume", saved.toString(), "--epochs", epochs, "--save",
                resumed.toString()).finish());
        assertEquals(0, start("train", model.toString(), "--epochs", epochs, "--save", unbroken.toString()).finish());
        for (String name : List.of("w", "b")) {
            assertArrayEquals(Checkpoint.read(unbroken).file().tensors().get(name).values(),
                    Checkpoint.read(resumed).file().tensors().get(name).values(), name);
        }
    }

    @Test
    void aSecondCtrlCStopsAtOnceWithoutSaving() throws Exception {
        // A step of two products of 2000 x 2000 matrices takes long enough for both signals to come within it.
        Path model = Files.writeString(folder.resolve("slow.model"), "model Slow\nparam W : [2000, 2000] = 0.001\n"
                + "loss L = sum((W @ W) @ W)\ntrain {\n  max_steps 1000000\n}\n");
        Path saved = folder.resolve("slow.st");
        Run run = start("train", model.toString(), "--save", saved.toString());
        signalWhenTraining(run, "INT");
        // Signals are not queued: the second is sent once the first has been handled, as a person would.
        for (int i = 0; i < 1200 && !read(run.err()).contains("modelc: Ctrl-C: finishing"); i++) {
            Thread.sleep(50);
        }
        signal(run, "INT");
        assertTrue(run.process().waitFor(120, TimeUnit.SECONDS), "still running after a second Ctrl-C");
        String err = run.errText();
        assertEquals(130, run.process().exitValue(), err);
        assertTrue(err.contains("modelc: Ctrl-C again: stopped at once\n"), err);
        assertFalse(Files.exists(saved), "saved although stopped at once");
    }

    /** A modelc running in a JVM of its own, and the files its output goes to. */
    private record Run(Process process, Path out, Path err) {
        String errText() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        int finish() throws InterruptedException {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running");
            return process.exitValue();
        }
    }

    /** Starts modelc, with Ctrl-C delivered as a terminal would. */
    private Run start(String... args) throws IOException {
        // A process started in the background of a shell ignores Ctrl-C, and so would its children.
        List<String> command = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        int n = runs++;
        Path out = folder.resolve("out" + n + ".txt");
        Path err = folder.resolve("err" + n + ".txt");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        return new Run(process, out, err);
    }

    /** Waits until the run prints what it trains (its handlers are in place by then), and a little more. */
    private static void signalWhenTraining(Run run, String signal) throws Exception {
        for (int i = 0; i < 1200 && !Files.readString(run.out()).contains("training "); i++) {
            assertTrue(run.process().isAlive(), () -> "ended before training: " + read(run.err()));
            Thread.sleep(50);
        }
        Thread.sleep(300);
        signal(run, signal);
    }

    private static void signal(Run run, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(run.process().pid())).start()
                .waitFor());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
