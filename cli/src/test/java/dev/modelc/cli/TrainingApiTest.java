package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.training.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Training} from Java and {@code modelc train} are one path: the same run writes the same checkpoint. */
class TrainingApiTest {
    @TempDir
    Path temp;

    private static ModelCompiler.LoadedModel load(Path model) throws Exception {
        return ModelCompiler.compile(SourceFile.read(model), new ModelCompiler.Options("", Dtype.F64)).load();
    }

    @Test
    void javaTrainsAsTheCommandLineDoesByteForByte() throws Exception {
        Path model = Path.of(CommandLineRun.sample("digits_mlp.model"));
        Path fromCli = temp.resolve("cli.safetensors");
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--steps", "60", "--save",
                fromCli.toString());
        assertEquals(0, run.exitCode(), run.transcript());

        ModelCompiler.LoadedModel loaded = load(model);
        Training training = Training.of(loaded.signature()).modelFolder(model.getParent()).maxSteps(60);
        TrainableModel trained = training.newModel(loaded::create);
        Trainer.Result result = training.run(trained, Trainer.Listener.NONE);
        assertEquals(Trainer.StopReason.MAX_STEPS, result.reason());
        Path fromJava = temp.resolve("java.safetensors");
        training.save(trained, result, fromJava);
        assertArrayEquals(Files.readAllBytes(fromCli), Files.readAllBytes(fromJava));
    }

    @Test
    void javaResumesWhatTheCommandLineSaved() throws Exception {
        Path model = Path.of(CommandLineRun.sample("digits_mlp.model"));
        Path whole = temp.resolve("whole.safetensors");
        Path part = temp.resolve("part.safetensors");
        assertEquals(0, CommandLineRun.of("train", model.toString(), "--steps", "70", "--save", whole.toString())
                .exitCode());
        assertEquals(0, CommandLineRun.of("train", model.toString(), "--steps", "30", "--save", part.toString())
                .exitCode());
        ModelCompiler.LoadedModel loaded = load(model);
        Training training = Training.of(loaded.signature()).modelFolder(model.getParent()).maxSteps(70)
                .resumeFrom(Checkpoint.read(part));
        TrainableModel resumed = training.newModel(loaded::create);
        Trainer.Result result = training.run(resumed, Trainer.Listener.NONE);
        assertEquals(70, result.steps());
        Path rest = temp.resolve("rest.safetensors");
        training.save(resumed, result, rest);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(rest));
    }
}
