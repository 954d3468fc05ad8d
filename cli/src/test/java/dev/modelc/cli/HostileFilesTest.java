package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.SafetensorsFile;
import dev.modelc.runtime.checkpoint.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made to hurt, each with a valid checksum (anyone can compute one): exit code 2 and a
 * message, never a hang, a stack trace, raw control characters, or a number that cannot be.
 */
class HostileFilesTest {
    private static final Duration SOON = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private static CommandLineRun refused(String message, String... args) {
        CommandLineRun run = assertTimeoutPreemptively(SOON, () -> CommandLineRun.of(args));
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(message), "expected \"" + message + "\"\n" + run.transcript());
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.transcript());
        return run;
    }

    /** A checkpoint of {@code model} after {@code args}, with its metadata edited and its checksum made anew. */
    private Path tampered(String name, List<String> args, Consumer<Map<String, String>> edit) throws Exception {
        Path path = temp.resolve(name);
        List<String> command = new java.util.ArrayList<>(List.of("train"));
        command.addAll(args);
        command.addAll(List.of("--save", path.toString()));
        CommandLineRun run = CommandLineRun.of(command.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        SafetensorsFile file = Checkpoint.read(path).file();
        Map<String, String> metadata = new LinkedHashMap<>(file.metadata());
        metadata.remove(SafetensorsFile.CHECKSUM);
        edit.accept(metadata);
        new SafetensorsFile(file.tensors(), metadata).write(path);
        return path;
    }

    private static final String LOGISTIC = CommandLineRun.sample("logistic_regression.model");
    private static final String QUADRATIC = CommandLineRun.quadratic();

    @Test
    void anEpochNoRunCouldReachIsRefusedBeforeAnyShuffleIsReplayed() throws Exception {
        List<String> run = List.of(LOGISTIC, "--steps", "3");
        Path far = tampered("far.st", run, m -> m.put("epoch", "1000000000000000"));
        refused("impossible", "train", LOGISTIC, "--resume", far.toString());
        Path beyond = tampered("beyond.st", run, m -> {
            m.put("epoch", "40");
            m.put("step", Long.toString(39 * 15 + 3));
        });
        refused("it stands in epoch 40, beyond the 30 this run trains", "train", LOGISTIC, "--resume",
                beyond.toString());
        Path mismatch = tampered("mismatch.st", run, m -> m.put("step", "4"));
        refused("it counts 4 updates, but epoch 1 after 3 of its 15 batches comes after 3", "train", LOGISTIC,
                "--resume", mismatch.toString());
    }

    @Test
    void impossibleCountsAndSumsAreRefused() throws Exception {
        List<String> run = List.of(LOGISTIC, "--steps", "3");
        refused("its optimizer step count is 9223372036854775807", "train", QUADRATIC, "--resume",
                tampered("steps.st", List.of(QUADRATIC, "--steps", "3"),
                        m -> m.put("optimizer_steps", Long.toString(Long.MAX_VALUE))).toString());
        refused("its epoch so far is impossible: loss sum NaN", "train", LOGISTIC, "--resume",
                tampered("nan.st", run, m -> m.put("epoch_loss_sum", "NaN")).toString());
        refused("over 1099511627776 rows", "train", LOGISTIC, "--resume",
                tampered("rows.st", run, m -> m.put("epoch_rows", "1099511627776")).toString());
        refused("its epoch has seen 200 rows, but 3 batches of 32 hold 96 (or 128)", "train", LOGISTIC, "--resume",
                tampered("some-rows.st", run, m -> m.put("epoch_rows", "200")).toString());
    }

    /**
     * The class of bug, not only the instances above: every metadata value of a checkpoint made
     * mid-epoch on data, and of one without data, replaced in turn by each of these (the file's
     * checksum made anew), is refused with exit code 2 and a message, or trains as it says; never
     * an internal error, a stack trace, a raw control character, or a wait.
     */
    @Test
    void everyMetadataValueMadeHostileIsRefusedOrHarmless() throws Exception {
        List<String> hostile = List.of("-1", "0", "9223372036854775807", "1000000000000000", "NaN", "", "2.5",
                "x\u001b[2J");
        for (List<String> run : List.of(List.of(LOGISTIC, "--steps", "3"), List.of(QUADRATIC, "--steps", "3"))) {
            SafetensorsFile file = Checkpoint.read(tampered("plain.st", run, m -> { })).file();
            for (String key : file.metadata().keySet()) {
                if (key.equals(SafetensorsFile.CHECKSUM)) {
                    continue;
                }
                for (String value : hostile) {
                    Map<String, String> metadata = new LinkedHashMap<>(file.metadata());
                    metadata.remove(SafetensorsFile.CHECKSUM);
                    metadata.put(key, value);
                    Path path = temp.resolve("hostile.st");
                    new SafetensorsFile(file.tensors(), metadata).write(path);
                    CommandLineRun resumed = assertTimeoutPreemptively(SOON, () -> CommandLineRun.of("train",
                            run.get(0), "--resume", path.toString(), "--steps", "4"));
                    String what = key + " = \"" + value + "\"\n" + resumed.transcript();
                    assertTrue(resumed.exitCode() == 0 || resumed.exitCode() == 2, what);
                    assertTrue(resumed.exitCode() == 0 || resumed.err().startsWith("modelc: error: "), what);
                    assertFalse(resumed.err().contains("\tat ") || resumed.err().contains("Exception"), what);
                    assertFalse(resumed.err().contains("\u001b") || resumed.out().contains("\u001b"), what);
                }
            }
        }
    }

    @Test
    void initRefusesAValueAnF32ModelCannotHoldAndIgnoresTensorsItDoesNotDeclare() throws Exception {
        Path huge = temp.resolve("huge.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("x", new Tensor("F64", List.of(), new double[] {1e300}));
        tensors.put("y", new Tensor("F64", List.of(), new double[] {1}));
        new SafetensorsFile(tensors, Map.of()).write(huge);
        refused("tensor \"x\" holds 1.0E300 at element 0, beyond the range of f32", "train", QUADRATIC, "--dtype",
                "f32", "--init", huge.toString());
        // What PyTorch writes beside the parameters: a step counter in I64 and buffers the model lacks.
        Path torch = temp.resolve("torch.safetensors");
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]},"
                + "\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]},"
                + "\"running_mean\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}";
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(torch, java.nio.ByteBuffer.allocate(8 + json.length + 24).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).putFloat(0.5f).putFloat(-0.25f).array());
        CommandLineRun run = CommandLineRun.of("train", QUADRATIC, "--init", torch.toString(), "--steps", "0",
                "--save", temp.resolve("from-torch.st").toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("note: --init " + torch + ": ignored 2 tensors this model does not declare: "
                + "\"running_mean\", \"num_batches_tracked\""), run.transcript());
        assertEquals(0.5, Checkpoint.read(temp.resolve("from-torch.st")).file().tensors().get("x").values()[0]);
    }

    @Test
    void namesFromACheckpointAreShownEscapedOnOneLine() throws Exception {
        Path evil = temp.resolve("evil.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("x", new Tensor("F64", List.of(), new double[] {1}));
        tensors.put("y\u001b[2J\nmodelc: all is well", new Tensor("F64", List.of(), new double[] {1}));
        new SafetensorsFile(tensors, Map.of()).write(evil);
        CommandLineRun missing = refused("it has no tensor \"y\"", "train", QUADRATIC, "--init", evil.toString());
        assertEquals(1, missing.errLines().size(), missing.transcript());
        tensors.put("y", new Tensor("F64", List.of(), new double[] {1}));
        new SafetensorsFile(tensors, Map.of()).write(evil);
        CommandLineRun run = CommandLineRun.of("train", QUADRATIC, "--init", evil.toString(), "--steps", "1");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("ignored 1 tensor this model does not declare: \"y\\x1B[2J\\x0Amodelc: all is "
                + "wel...\"\n"), run.transcript());
        assertFalse(run.err().contains("\u001b") || run.out().contains("\u001b"), run.transcript());
    }

    @Test
    void dataFromAPipeIsReadAsAStreamAndANamedPipeIsRefusedWithoutWaiting() throws Exception {
        Path data = Path.of(CommandLineRun.sample("data/linear.csv"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                CommandLineRun.sample("linear_regression.model"), "--data", "/dev/stdin", "--steps", "2")
                .redirectInput(data.toFile()).redirectErrorStream(true).start();
        // A file given as standard input is a file; a shell's <(command) is a pipe.
        Process piped = new ProcessBuilder("bash", "-c", "'" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName() + " train '"
                + CommandLineRun.sample("linear_regression.model") + "' --data <(cat '" + data + "') --steps 2")
                .redirectErrorStream(true).start();
        for (Process p : List.of(child, piped)) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running");
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("b = "), output);
        }
        Path fifo = temp.resolve("fifo.csv");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        refused(fifo + ": cannot be read: it is a named pipe (FIFO)", "train",
                CommandLineRun.sample("linear_regression.model"), "--data", fifo.toString());
        refused(fifo + ": it is a named pipe (FIFO)", "check", fifo.toString());
    }

    @Test
    void standardizingCellsNearTheLargestDoublesWorksOrBlamesTheCell() throws Exception {
        Path model = Files.writeString(temp.resolve("wide.model"), "model Wide\ninput x : [batch, 1]\n"
                + "input y : [batch]\nparam w : [1] = 0\nloss L = mse(x @ w, y)\ntrain {\n"
                + "  data csv(\"wide.csv\", label = last, standardize = true)\n}\n");
        Files.writeString(temp.resolve("wide.csv"), "1e308,1\n-1e308,-1\n1e308,1\n-1e308,-1\n");
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--steps", "3");
        assertEquals(0, run.exitCode(), run.transcript());
        Files.writeString(temp.resolve("wide.csv"), "1.7e308,1\n-1.7e308,-1\n-1.7e308,-1\n-1.7e308,-1\n");
        refused(temp.resolve("wide.csv") + ":1: the 1st cell is 1.7E308, too far from its column's mean",
                "train", model.toString(), "--steps", "3");
    }
}
