package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.SafetensorsFile;
import dev.modelc.runtime.checkpoint.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written by an earlier modelc (test resources under {@code checkpoints/}) still
 * resume, and a resumed run ends exactly where that modelc's unbroken run ended.
 */
class OlderCheckpointsTest {
    private static final String FOLDER = "/checkpoints/before-preprocessing/";

    @TempDir
    Path temp;

    private Path resource(String name) throws Exception {
        try (InputStream in = OlderCheckpointsTest.class.getResourceAsStream(FOLDER + name)) {
            Path copy = temp.resolve(name);
            Files.copy(in, copy);
            return copy;
        }
    }

    @Test
    void aDataRunSavedMidEpochResumesToTheSameBits() throws Exception {
        Path data = Path.of(System.getProperty("modelc.samples"), "data", "breast_cancer.csv").toAbsolutePath();
        Path model = resource("cancer_momentum.model");
        Files.writeString(model, Files.readString(model).replace("\"DATA\"", "\"" + data.toString()
                .replace("\\", "/") + "\""));
        Path rest = temp.resolve("rest.safetensors");
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--resume",
                resource("cancer-step40.safetensors").toString(), "--save", rest.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("training LogisticRegression (cancer_momentum.model, f64): sgd lr=0.1 momentum=0.9, data "
                + data.toString().replace("\\", "/") + ", 30 epochs, resumed at step 40 in epoch 3", run.outLines().get(0));
        assertSameState(Checkpoint.read(resource("cancer-unbroken.safetensors")), Checkpoint.read(rest));
    }

    @Test
    void evalWorksOutThePreprocessingAnOlderCheckpointLacks() throws Exception {
        Path data = Path.of(System.getProperty("modelc.samples"), "data", "breast_cancer.csv").toAbsolutePath();
        Path model = resource("cancer_momentum.model");
        Files.writeString(model, Files.readString(model).replace("\"DATA\"", "\"" + data.toString()
                .replace("\\", "/") + "\""));
        Path old = resource("cancer-unbroken.safetensors");
        CommandLineRun eval = CommandLineRun.of("eval", model.toString(), "--init", old.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.transcript());
        assertTrue(eval.err().contains("does not say how training read its rows"), eval.err());

        Path resaved = temp.resolve("resaved.safetensors");
        long step = Checkpoint.read(old).position().steps();
        assertEquals(0, CommandLineRun.of("train", model.toString(), "--resume", old.toString(), "--steps",
                Long.toString(step), "--save", resaved.toString()).exitCode());
        assertNotNull(Checkpoint.read(resaved).preprocessing());
        CommandLineRun again = CommandLineRun.of("eval", model.toString(), "--init", resaved.toString(), "--json");
        assertEquals("", again.err());
        assertEquals(eval.out().substring(eval.out().indexOf("\"rows\"")),
                again.out().substring(again.out().indexOf("\"rows\"")));
    }

    @Test
    void theSeedExampleSavedAfterFiveUpdatesResumesToTheSameBits() throws Exception {
        Path whole = temp.resolve("whole.safetensors");
        Path rest = temp.resolve("rest.safetensors");
        assertEquals(0, CommandLineRun.of("train", CommandLineRun.quadratic(), "--save", whole.toString()).exitCode());
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--resume",
                resource("quadratic-step5.safetensors").toString(), "--save", rest.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("stopped: J < 0.005 after 17 updates (J = 0.004564)", run.outLines().get(
                run.outLines().size() - 2));
        assertSameState(Checkpoint.read(whole), Checkpoint.read(rest));
    }

    /** Every tensor's bits and the position: what training left, whatever else the metadata says. */
    private static void assertSameState(Checkpoint expected, Checkpoint actual) throws Exception {
        SafetensorsFile a = expected.file();
        SafetensorsFile b = actual.file();
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            assertArrayEquals(e.getValue().values(), b.tensors().get(e.getKey()).values(), e.getKey());
        }
        assertEquals(expected.position(), actual.position());
        for (String key : new String[] {"optimizer_steps", "learning_rate", "seed", "batch_size", "train_rows"}) {
            assertEquals(a.metadata().get(key), b.metadata().get(key), key);
        }
    }
}
