package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.data.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training N steps straight and training k steps, saving a checkpoint, then resuming to N give
 * bit-identical parameters and optimizer state, for each optimizer and dtype, at three split
 * points: one early, one on an epoch boundary (for data), one late.
 */
class ExactResumeTest {
    private static final List<String> OPTIMIZERS = List.of("gd(lr = 0.05)", "sgd(lr = 0.05, momentum = 0.9)");

    @TempDir
    Path temp;

    private static ModelCompiler.LoadedModel load(String text, Dtype dtype) {
        try {
            return ModelCompiler.compile(new SourceFile("resume.model", text), new ModelCompiler.Options("", dtype))
                    .load();
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    @Test
    void aScalarModelResumesExactly() throws Exception {
        for (String optimizer : OPTIMIZERS) {
            String text = "model Bowl\nparam x = -3\nparam y = 2\nloss J = x^2 + 2 * y^2 + x * y\n"
                    + "train {\n  optimizer " + optimizer + "\n}\n";
            for (Dtype dtype : Dtype.values()) {
                ModelCompiler.LoadedModel loaded = load(text, dtype);
                TrainableModel straight = loaded.create(0);
                TrainingSettings all = TrainingSettings.of(straight.signature()).withMaxSteps(40);
                Trainer.train(straight, all, Trainer.Listener.NONE);
                for (int split : new int[] {1, 17, 39}) {
                    TrainableModel first = loaded.create(0);
                    Trainer.Result stopped = Trainer.train(first, all.withMaxSteps(split), Trainer.Listener.NONE);
                    Path file = temp.resolve("bowl-" + split + ".safetensors");
                    Checkpoint.of(first, stopped, new Checkpoint.Run(0, 0, false, 0)).write(file);
                    TrainableModel second = loaded.create(0);
                    Checkpoint checkpoint = Checkpoint.read(file);
                    checkpoint.resume(second);
                    Trainer.Result rest = new Trainer(second, null, all, checkpoint.schedule(second.signature(), 40))
                            .resumeFrom(checkpoint.position()).run(Trainer.Listener.NONE);
                    assertEquals(40, rest.steps());
                    assertArrayEquals(state(straight), state(second), optimizer + " " + dtype.label() + " at " + split);
                }
            }
        }
    }

    @Test
    void aDataModelResumesExactlyMidEpochAndAtItsEnd() throws Exception {
        Dataset data = lineData();
        // The second model's running statistics are params that training forward passes move, and
        // its dropout masks are drawn from the seed and the step.
        List<String> models = List.of("param w : [2] = normal(0, 0.5)\nparam b = 0\nloss L = mse(x @ w + b, y)\n",
                "param W : [2, 4] = normal(0, 0.5)\nparam g : [4] = 1\nparam c : [4] = 0\n"
                        + "param w : [4] = normal(0, 0.5)\nparam b = 0\n"
                        + "h = dropout(relu(batch_norm(x @ W, g, c)), 0.25)\nloss L = mse(h @ w + b, y)\n");
        for (String optimizer : OPTIMIZERS) {
            for (String model : models) {
                String text = "model Line\ninput x : [batch, 2]\ninput y : [batch]\n" + model
                        + "train {\n  optimizer " + optimizer + "\n}\n";
                for (Dtype dtype : Dtype.values()) {
                    ModelCompiler.LoadedModel loaded = load(text, dtype);
                    // 22 rows in batches of 4: six batches an epoch, the last of two; five epochs, 30 steps.
                    TrainingSettings all = new TrainingSettings(5, 4, true, 30, 3);
                    TrainableModel straight = loaded.create(3, 4);
                    Trainer.Result whole = Trainer.train(straight, data, all, Trainer.Listener.NONE);
                    assertEquals(30, whole.steps());
                    for (int split : new int[] {4, 12, 23}) {
                        TrainableModel first = loaded.create(3, 4);
                        Trainer.Result stopped = Trainer.train(first, data, all.withMaxSteps(split),
                                Trainer.Listener.NONE);
                        Path file = temp.resolve("line-" + split + ".safetensors");
                        Checkpoint.of(first, stopped, new Checkpoint.Run(3, 4, true, 22)).write(file);
                        TrainableModel second = loaded.create(3, 4);
                        Checkpoint checkpoint = Checkpoint.read(file);
                        checkpoint.resume(second);
                        Trainer.Result rest = new Trainer(second, data, all,
                                checkpoint.schedule(second.signature(), 30))
                                .resumeFrom(checkpoint.position()).run(Trainer.Listener.NONE);
                        assertEquals(30, rest.steps());
                        assertEquals(whole.last().train(), rest.last().train(), "the last epoch's loss, row for row");
                        assertArrayEquals(state(straight), state(second),
                                optimizer + " " + dtype.label() + " at " + split + " of\n" + model);
                    }
                }
            }
        }
    }

    /** 22 rows of y = 3 x0 - 2 x1 + 1 plus a little noise. */
    private static Dataset lineData() throws Exception {
        Rng rng = new Rng(5);
        double[][] rows = new double[22][];
        for (int r = 0; r < rows.length; r++) {
            double x0 = rng.uniform(-1, 1);
            double x1 = rng.uniform(-1, 1);
            rows[r] = new double[] {x0, x1, 3 * x0 - 2 * x1 + 1 + rng.normal(0, 0.1)};
        }
        ModelCompiler.LoadedModel shape = load("model Line\ninput x : [batch, 2]\ninput y : [batch]\n"
                + "param w : [2] = 0\nloss L = mse(x @ w, y)\n", Dtype.F64);
        return Dataset.of(Table.of("line.csv", 1, rows), shape.signature().inputs(), -1, 0, false, 3);
    }

    /** Every parameter and optimizer state element and the step count, as raw bits. */
    private static long[] state(TrainableModel model) {
        List<Long> bits = new ArrayList<>();
        for (int p = 0; p < model.signature().params().size(); p++) {
            for (int i = 0; i < model.signature().params().get(p).size(); i++) {
                bits.add(Double.doubleToRawLongBits(model.param(p, i)));
            }
        }
        for (int b = 0; b < model.stateNames().size(); b++) {
            int size = model.signature().params().get(b).size();
            for (int i = 0; i < size; i++) {
                bits.add(Double.doubleToRawLongBits(model.state(b, i)));
            }
        }
        bits.add(model.stepCount());
        return bits.stream().mapToLong(Long::longValue).toArray();
    }
}
