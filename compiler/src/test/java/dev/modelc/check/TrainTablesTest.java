package dev.modelc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.UpdateRules;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.ScheduleSpec;
import dev.modelc.graph.TrainSpec;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tables of optimizers and schedules: PyTorch's defaults, and every entry known to the
 * code generator (optimizers) and to the runtime (schedules), so none can be added to the
 * checker alone.
 */
class TrainTablesTest {

    private static TrainSpec train(String settings) {
        String text = "model M\nparam clip_norm = 1.0\nloss L = clip_norm^2\ntrain {\n  " + settings + "\n}\n";
        try {
            return ModelCompiler.compile(new SourceFile("m.model", text), ModelCompiler.Options.DEFAULT)
                    .simplified().train();
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    @Test
    void optimizersTakePyTorchsDefaults() {
        assertEquals(Map.of("lr", 0.01), train("optimizer gd").hyperparameters());
        assertEquals(Map.of("lr", 1e-3, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", 0.0),
                train("optimizer sgd").hyperparameters());
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0),
                train("optimizer adam").hyperparameters());
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 1e-2),
                train("optimizer adamw()").hyperparameters());
        assertEquals(Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0,
                "centered", 0.0), train("optimizer rmsprop").hyperparameters());
        assertEquals(Map.of("lr", 1e-2, "lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0,
                "eps", 1e-10), train("optimizer adagrad").hyperparameters());
    }

    @Test
    void givenHyperparametersReplaceTheDefaults() {
        TrainSpec spec = train("optimizer sgd(lr = 0.5, momentum = 0.9, nesterov = true)");
        assertEquals(0.5, spec.learningRate());
        assertEquals(0.9, spec.momentum());
        assertEquals(1.0, spec.hyperparameter("nesterov"));
    }

    @Test
    void schedulesTakePyTorchsDefaults() {
        assertEquals(new ScheduleSpec("step", Map.of("step_size", 30.0, "gamma", 0.1), List.of()),
                train("schedule step(step_size = 30)").schedule());
        assertEquals(new ScheduleSpec("multistep", Map.of("gamma", 0.1), List.of(30L, 80L)),
                train("schedule multistep(milestones = [30, 80])").schedule());
        assertEquals(new ScheduleSpec("cosine", Map.of("warmup", 0.0, "min_lr", 0.0), List.of()),
                train("schedule cosine").schedule(), "without `steps` the run's length is used");
        assertEquals(new ScheduleSpec("reduce_on_plateau", Map.of("factor", 0.1, "patience", 10.0,
                "threshold", 1e-4, "cooldown", 0.0, "min_lr", 0.0), List.of()),
                train("schedule reduce_on_plateau()").schedule());
        assertEquals(ScheduleSpec.CONSTANT, train("seed 1").schedule());
    }

    @Test
    void clipNormIsATrainSettingAndStillAName() {
        assertEquals(2.5, train("clip_norm 2.5").clipNorm());
        assertFalse(train("seed 1").clipsGradients());
    }

    @Test
    void everyOptimizerHasAnUpdateRule() {
        for (String optimizer : TrainTables.optimizers()) {
            TrainSpec spec = train("optimizer " + optimizer);
            assertEquals(TrainTables.OPTIMIZERS.get(optimizer).stream().map(TrainTables.Parameter::name)
                    .collect(Collectors.toSet()), spec.hyperparameters().keySet(), optimizer);
            assertTrue(UpdateRules.has(optimizer), optimizer);
            assertTrue(spec.optimizerState().size() <= 3, optimizer);
        }
    }

    @Test
    void everyScheduleRunsInTheRuntime() {
        for (Map.Entry<String, List<TrainTables.Parameter>> schedule : TrainTables.SCHEDULES.entrySet()) {
            String arguments = schedule.getValue().stream().filter(TrainTables.Parameter::required)
                    .map(p -> p.name() + " = " + p.example()).collect(Collectors.joining(", "));
            ScheduleSpec spec = train("schedule " + schedule.getKey() + "(" + arguments + ")").schedule();
            LearningRateSchedule rates = LearningRateSchedule.of(
                    new ModelSignature.Schedule(spec.name(), spec.parameters(), spec.milestones()), 0.1, 5000);
            for (long t = 0; t < 5000; t += 7) {
                double rate = rates.rate(t);
                assertTrue(rate >= 0 && rate <= 0.1 + 1e-15, schedule.getKey() + " at " + t + ": " + rate);
            }
            rates.epochEnded(1.0);
        }
    }
}
