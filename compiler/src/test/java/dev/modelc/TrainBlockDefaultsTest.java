package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.codegen.Dtype;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.training.Training;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The train block's settings left out ({@code max_steps} above all) are the runtime's to
 * fill in: a generated signature's settings train as they are, with or without data.
 */
class TrainBlockDefaultsTest {

    @Test
    void everySamplesTrainBlockGivesSettings() throws Exception {
        for (Sample sample : Sample.all()) {
            ModelSignature signature = sample.compile(Dtype.F64).load().signature();
            TrainingSettings settings = TrainingSettings.of(signature.train());
            assertEquals(signature.train().epochs(), settings.epochs(), sample.name());
            boolean onData = !signature.inputs().isEmpty();
            long limit = signature.train().maxSteps() >= 0 ? signature.train().maxSteps()
                    : onData ? TrainingSettings.NO_STEP_LIMIT : TrainingSettings.DEFAULT_STEPS_WITHOUT_DATA;
            assertEquals(limit, settings.stepLimit(onData), sample.name());
        }
    }

    @Test
    void theDigitsSampleTrainsAsItsTrainBlockSaysWithoutMaxSteps() throws Exception {
        Sample digits = Sample.named("digits_mlp");
        ModelCompiler.LoadedModel loaded = digits.compile(Dtype.F64).load();
        assertEquals(new TrainingSettings(10, 32, true, TrainingSettings.UNSET, 42),
                TrainingSettings.of(loaded.signature().train()));
        Training training = Training.of(loaded.signature()).modelFolder(digits.file().getParent()).epochs(1);
        TrainableModel model = training.newModel(loaded::create);
        Trainer.Result result = training.run(model, Trainer.Listener.NONE);
        assertEquals(Trainer.StopReason.EPOCHS, result.reason());
        assertEquals(45, result.steps(), "1438 training rows in batches of 32");
        assertEquals(359, result.last().test().rows());
    }

    @Test
    void aScalarModelWithoutMaxStepsMakesTheDefaultNumberOfUpdates() {
        TrainableModel model = OptimizerUpdatesTest.compile("param a = 1.0\nloss L = a^2\n"
                + "train {\n  optimizer gd(lr = 0.001)\n}\n");
        assertEquals(TrainingSettings.UNSET, model.signature().train().maxSteps());
        Trainer.Result result = Trainer.train(model, TrainingSettings.of(model.signature()), Trainer.Listener.NONE);
        assertEquals(Trainer.StopReason.MAX_STEPS, result.reason());
        assertEquals(1000, result.steps());
        assertEquals(Math.pow(1 - 0.002, 1000), model.param(0, 0), 1e-12);
    }

    @Test
    void aPathInTheTrainBlockIsRelativeToTheModelsFolder() throws Exception {
        Sample digits = Sample.named("digits_mlp");
        ModelSignature signature = digits.compile(Dtype.F64).load().signature();
        Path folder = digits.file().getParent();
        assertEquals(1797, Training.of(signature).modelFolder(folder).dataset().table().rows());
    }
}
