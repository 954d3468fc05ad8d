package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code train}, {@code sweep}, {@code compile} and {@code graph} write never destroys what
 * they read or each other, replaces only regular files, keeps a file's permissions, and is
 * checked before any training, so a run never learns at its end that its result cannot be kept.
 */
class OutputSafetyTest {
    @TempDir
    Path temp;

    private static final String QUADRATIC = CommandLineRun.quadratic();

    /** Runs modelc, which must refuse before training: exit 2, the message, nothing trained. */
    private static CommandLineRun refused(String message, String... args) {
        CommandLineRun run = CommandLineRun.of(args);
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(message), "expected \"" + message + "\"\n" + run.transcript());
        assertFalse(run.out().contains("training "), "refused only after training began\n" + run.transcript());
        assertFalse(run.err().contains("\tat "), run.transcript());
        return run;
    }

    private Path copy(String sample, String name) throws Exception {
        return Files.copy(Path.of(CommandLineRun.sample(sample)), temp.resolve(name));
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path model = copy("quadratic.model", "q2.model");
        byte[] modelBytes = Files.readAllBytes(model);
        refused("--log " + model + " is the model file, which this run reads", "train", model.toString(),
                "--log", model.toString());
        Path data = copy("data/linear.csv", "linear.csv");
        byte[] dataBytes = Files.readAllBytes(data);
        refused("--log " + data + " is the data file", "train", CommandLineRun.sample("linear_regression.model"),
                "--data", data.toString(), "--log", data.toString());
        Path keep = temp.resolve("keep.st");
        assertEquals(0, CommandLineRun.of("train", QUADRATIC, "--steps", "3", "--save", keep.toString()).exitCode());
        byte[] keepBytes = Files.readAllBytes(keep);
        refused("--log " + keep + " is the checkpoint of --resume", "train", QUADRATIC, "--resume", keep.toString(),
                "--log", keep.toString());
        // The same files by other names: a symbolic link, a hard link, a path through "..".
        Path link = Files.createSymbolicLink(temp.resolve("link.csv"), data);
        refused("is the data file", "train", CommandLineRun.sample("linear_regression.model"), "--data",
                data.toString(), "--log", link.toString());
        Path hard = Files.createLink(temp.resolve("hard.model"), model);
        refused("is the model file", "train", model.toString(), "--plot", hard.toString() + ".png", "--log",
                hard.toString());
        Path roundabout = Files.createDirectory(temp.resolve("sub")).resolve("..").resolve("keep.st");
        refused("is the checkpoint of --init", "train", QUADRATIC, "--init", keep.toString(), "--save",
                roundabout.toString());
        assertArrayEquals(modelBytes, Files.readAllBytes(model));
        assertArrayEquals(dataBytes, Files.readAllBytes(data));
        assertArrayEquals(keepBytes, Files.readAllBytes(keep));
    }

    @Test
    void twoOutputsNeverShareAFile() throws Exception {
        Path both = temp.resolve("both.png");
        refused("--plot " + both + " is also the file of --save", "train", QUADRATIC, "--save", both.toString(),
                "--plot", both.toString());
        refused("--log " + both + " is also the file of --save", "train", QUADRATIC, "--save", both.toString(),
                "--log", both.toString());
        assertFalse(Files.exists(both));
    }

    @Test
    void theModelItselfIsNeverTheGeneratedJava() throws Exception {
        Path model = temp.resolve("Quadratic.java");
        Files.copy(Path.of(QUADRATIC), model);
        byte[] before = Files.readAllBytes(model);
        refused("-o " + model + " is the model file", "compile", model.toString(), "-o", temp.toString());
        assertArrayEquals(before, Files.readAllBytes(model));
        Path dot = Files.copy(model, temp.resolve("graph.dot"));
        refused("-o " + dot + " is the model file", "graph", dot.toString(), "-o", dot.toString());
        assertArrayEquals(before, Files.readAllBytes(dot));
    }

    @Test
    void onlyARegularFileIsEverReplaced() throws Exception {
        Path fifo = temp.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        refused("--save " + fifo + ": is a device, FIFO or socket, not a regular file", "train", QUADRATIC,
                "--save", fifo.toString());
        // A link to a device is followed to the device, which a rename would otherwise replace (as root, /dev/null).
        Path device = Files.createSymbolicLink(temp.resolve("null.st"), Path.of("/dev/null"));
        refused("--save " + device + ": is a device, FIFO or socket", "train", QUADRATIC, "--save",
                device.toString());
        Path picture = Files.createSymbolicLink(temp.resolve("null.png"), Path.of("/dev/null"));
        refused("--plot " + picture + ": is a device", "sweep", QUADRATIC, "--lr", "0.1", "--plot",
                picture.toString());
        assertTrue(Files.isSymbolicLink(device) && Files.isSymbolicLink(picture));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    }

    @Test
    void aLinkToACheckpointIsFollowedAndKept() throws Exception {
        Path real = temp.resolve("real.st");
        Path link = Files.createSymbolicLink(temp.resolve("link.st"), real);
        CommandLineRun run = CommandLineRun.of("train", QUADRATIC, "--steps", "2", "--save", link.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        assertEquals(2, Checkpoint.read(real).position().steps());
    }

    @Test
    void aFailedLogCostsNeitherTheRunNorItsCheckpoint() throws Exception {
        Path saved = temp.resolve("sv.st");
        CommandLineRun run = CommandLineRun.of("train", QUADRATIC, "--log", "/dev/full", "--save", saved.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--log /dev/full: cannot be written: No space left on device"),
                run.transcript());
        assertTrue(run.out().contains("saved " + saved + " at step 17"), run.transcript());
        assertEquals(17, Checkpoint.read(saved).position().steps());
        assertFalse(run.err().contains("Exception"), run.transcript());
    }

    @Test
    void aResumedRunGoesOnWithTheLogOfTheRunItResumes() throws Exception {
        Path bowl = Files.writeString(temp.resolve("bowl.model"), "model Bowl\nparam x = 3.0\nparam y = -2.0\n"
                + "loss L = x^2 + 4 * y^2\ntrain {\n  optimizer adam(lr = 0.01)\n}\n");
        for (String model : List.of(bowl.toString(), CommandLineRun.sample("logistic_regression.model"))) {
            Path unbroken = temp.resolve("unbroken.csv");
            assertEquals(0, CommandLineRun.of("train", model, "--steps", "40", "--log", unbroken.toString())
                    .exitCode());
            Path saved = temp.resolve("at20.st");
            Path log = temp.resolve("run.csv");
            // The log holds rows past the checkpoint, as when a run was killed after saving it.
            assertEquals(0, CommandLineRun.of("train", model, "--steps", "20", "--save", saved.toString())
                    .exitCode());
            assertEquals(0, CommandLineRun.of("train", model, "--steps", "27", "--log", log.toString()).exitCode());
            Files.writeString(log, "27,1,0.1,0.", java.nio.file.StandardOpenOption.APPEND);
            CommandLineRun resumed = CommandLineRun.of("train", model, "--steps", "40", "--resume", saved.toString(),
                    "--log", log.toString());
            assertEquals(0, resumed.exitCode(), resumed.transcript());
            assertEquals(Files.readString(unbroken), Files.readString(log), model);
        }
        // Another model's log is not gone on with: it is written anew.
        Path saved = temp.resolve("q.st");
        assertEquals(0, CommandLineRun.of("train", QUADRATIC, "--steps", "2", "--save", saved.toString()).exitCode());
        Path other = Files.writeString(temp.resolve("other.csv"), "step,epoch,lr,J,a\n0,0,0.1,1.0,2.0\n");
        assertEquals(0, CommandLineRun.of("train", QUADRATIC, "--steps", "4", "--resume", saved.toString(), "--log",
                other.toString()).exitCode());
        assertTrue(Files.readString(other).startsWith("step,epoch,lr,J,x,y\n2,0,"), Files.readString(other));
    }

    @Test
    void aCheckpointSavedAgainKeepsItsPermissions() throws Exception {
        Path saved = temp.resolve("private.st");
        assertEquals(0, CommandLineRun.of("train", QUADRATIC, "--steps", "1", "--save", saved.toString()).exitCode());
        Files.setPosixFilePermissions(saved, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, CommandLineRun.of("train", QUADRATIC, "--steps", "2", "--save", saved.toString()).exitCode());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        assertEquals(2, Checkpoint.read(saved).position().steps());
    }

    @Test
    void anOutputThatCannotBeMadeIsFoundBeforeTraining() throws Exception {
        String longName = "a".repeat(300);
        refused("--plot " + temp.resolve(longName + ".png") + ": cannot be written: File name too long", "train",
                QUADRATIC, "--plot", temp.resolve(longName + ".png").toString());
        Path folder = readOnlyFolder();
        refused("--save " + folder.resolve("x.st") + ": cannot be written: permission denied", "train", QUADRATIC,
                "--save", folder.resolve("x.st").toString());
        // A name as long as the system allows still saves: the temporary file's name is cut to fit.
        Path longest = temp.resolve("b".repeat(250) + ".st");
        assertEquals(0, CommandLineRun.of("train", QUADRATIC, "--save", longest.toString()).exitCode());
        assertEquals(17, Checkpoint.read(longest).position().steps());
    }

    @Test
    void compileOntoAFileSaysItIsAFile() throws Exception {
        Path file = Files.writeString(temp.resolve("out"), "keep");
        refused("-o " + file + ": is a file, not a folder", "compile", QUADRATIC, "-o", file.toString());
        assertEquals("keep", Files.readString(file));
    }

    /**
     * A folder this process cannot make files in: one without write permission, or, for root,
     * whom permissions do not stop, sysfs, which takes no new files from anyone.
     */
    private Path readOnlyFolder() throws Exception {
        Path folder = Files.createDirectory(temp.resolve("read-only"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        List<Path> candidates = new ArrayList<>(List.of(folder, Path.of("/sys")));
        for (Path candidate : candidates) {
            Path probe = candidate.resolve(".probe");
            try {
                Files.createFile(probe);
                Files.delete(probe);
            } catch (java.io.IOException e) {
                return candidate;
            }
        }
        throw new AssertionError("no folder here refuses new files: " + candidates);
    }
}
