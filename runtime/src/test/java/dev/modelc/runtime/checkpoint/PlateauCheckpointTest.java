package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainingPosition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code reduce_on_plateau} schedule's state (its rate, best loss, epochs without improvement
 * and cooldown left) is saved with the model and restored exactly; numbers that no training
 * could have left are refused before the model is touched.
 */
class PlateauCheckpointTest {
    private static final ModelSignature.Schedule PLATEAU = new ModelSignature.Schedule("reduce_on_plateau",
            Map.of("factor", 0.5, "patience", 2.0, "threshold", 1e-4, "cooldown", 1.0, "min_lr", 0.0), List.of());
    private static final TrainingPosition POSITION = TrainingPosition.afterUpdates(4);
    private static final Checkpoint.Run RUN = new Checkpoint.Run(0, 0, false, 0);
    /** The base rate the runs here train from, as --lr would set it. */
    private static final double RATE = 0.03;

    @TempDir
    Path temp;

    /** A model under the plateau, trained from a base rate of 0.03 (see {@link #RATE}). */
    private static StateModel model() {
        return new StateModel("f64", List.of(3), PLATEAU);
    }

    /** Tells the schedule each loss as an epoch's; returns the rate after each. */
    private static double[] epochs(LearningRateSchedule schedule, double... losses) {
        double[] rates = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            schedule.epochEnded(losses[i]);
            rates[i] = schedule.rate(0);
        }
        return rates;
    }

    @Test
    void theSavedPlateauGoesOnExactly() throws Exception {
        StateModel model = model();
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(), RATE, 100);
        // Epoch 1 sets the best (5); 2, 3 and 4 are no better, and the third of them is more than patience 2:
        // the rate halves, and one epoch of cooldown is left.
        epochs(schedule, 5, 5, 5, 5);
        Path path = temp.resolve("plateau.safetensors");
        Checkpoint.of(model, POSITION, RUN, schedule.state()).write(path);
        Map<String, String> m = Checkpoint.read(path).file().metadata();
        assertEquals("0.03", m.get("learning_rate"));
        assertEquals("0.015", m.get("plateau_rate"));
        assertEquals("5.0", m.get("plateau_best_loss"));
        assertEquals("0", m.get("plateau_bad_epochs"));
        assertEquals("1", m.get("plateau_cooldown_left"));

        StateModel fresh = new StateModel("f64", List.of(3), PLATEAU);
        Checkpoint checkpoint = Checkpoint.read(path);
        checkpoint.resume(fresh);
        LearningRateSchedule restored = checkpoint.schedule(fresh.signature(), 100);
        assertEquals(schedule.state(), restored.state());
        double[] further = {4.9, 4.9, 4.9, 4.9, 4.9, 4.0};
        assertArrayEquals(epochs(schedule, further), epochs(restored, further));
        assertEquals(schedule.state(), restored.state());
    }

    @Test
    void aFreshPlateauIsSavedAsSuch() throws Exception {
        StateModel model = model();
        Path path = temp.resolve("fresh.safetensors");
        Checkpoint.of(model, TrainingPosition.START, RUN, LearningRateSchedule.of(model.signature(), RATE, 10).state())
                .write(path);
        Map<String, String> m = Checkpoint.read(path).file().metadata();
        assertEquals("0.03", m.get("plateau_rate"));
        assertEquals("Infinity", m.get("plateau_best_loss"));
        Checkpoint checkpoint = Checkpoint.read(path);
        StateModel fresh = new StateModel("f64", List.of(3), PLATEAU);
        checkpoint.resume(fresh);
        assertEquals(LearningRateSchedule.of(model.signature(), RATE, 10).state(),
                checkpoint.schedule(fresh.signature(), 10).state());
    }

    @Test
    void otherSchedulesSaveNoPlateauAndAPlateauWithoutOneStartsAfresh() throws Exception {
        StateModel constant = new StateModel("f64", List.of(3));
        Path path = temp.resolve("constant.safetensors");
        Checkpoint.of(constant, POSITION, RUN).write(path);
        Checkpoint checkpoint = Checkpoint.read(path);
        assertFalse(checkpoint.file().metadata().keySet().stream().anyMatch(k -> k.startsWith("plateau")));
        StateModel plateau = new StateModel("f64", List.of(3), PLATEAU);
        checkpoint.resume(plateau);
        assertEquals(new LearningRateSchedule.State(0.1, 7, 0.1, Double.POSITIVE_INFINITY, 0, 0),
                checkpoint.schedule(plateau.signature(), 7).state());
    }

    @Test
    void aCheckpointWithoutTheScheduleIsNotMadeForAPlateau() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.of(model(), POSITION, RUN));
        assertTrue(e.getMessage().contains("reduce_on_plateau, whose state a checkpoint must keep"), e.getMessage());
    }

    @Test
    void impossiblePlateausAreRefusedAndTheModelLeftAsItWas() throws Exception {
        StateModel model = model();
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(), RATE, 100);
        epochs(schedule, 5, 5);
        Path path = temp.resolve("plateau.safetensors");
        Checkpoint.of(model, POSITION, RUN, schedule.state()).write(path);
        assertRefusedWith(path, "plateau_rate", "0.06", "its plateau rate 0.06 is above its learning rate 0.03, "
                + "which reduce_on_plateau only ever lowers");
        assertRefusedWith(path, "plateau_rate", "-0.01", "its plateau state is impossible: the plateau's rate must "
                + "be 0 or more, got -0.01");
        assertRefusedWith(path, "plateau_best_loss", "NaN", "its plateau state is impossible: the plateau's best "
                + "loss must be a number or +Infinity, got NaN");
        assertRefusedWith(path, "plateau_bad_epochs", "-1", "its plateau state is impossible: the plateau counts "
                + "epochs from 0, got -1 without improvement and 0 of cooldown");
        assertRefusedWith(path, "plateau_cooldown_left", "one", "metadata \"plateau_cooldown_left\" is \"one\", "
                + "not a whole number");
        assertRefusedWith(path, "plateau_best_loss", "Infinity", "its plateau has seen no epoch (best loss "
                + "Infinity), yet its counts or rate have moved (bad epochs 1, cooldown 0, rate 0.03)");
        assertRefusedWith(path, "plateau_bad_epochs", null, "its metadata lacks \"plateau_bad_epochs\"");
    }

    /** The checkpoint at {@code path} with one metadata value replaced (or removed, for null), then resumed. */
    private void assertRefusedWith(Path path, String key, String value, String message) throws Exception {
        SafetensorsFile file = Checkpoint.read(path).file();
        Map<String, String> metadata = new LinkedHashMap<>(file.metadata());
        metadata.remove(SafetensorsFile.CHECKSUM);
        if (value == null) {
            metadata.remove(key);
        } else {
            metadata.put(key, value);
        }
        Path edited = temp.resolve("edited.safetensors");
        new SafetensorsFile(file.tensors(), metadata).write(edited);
        StateModel model = new StateModel("f64", List.of(3), PLATEAU);
        long[] before = model.everything();
        Checkpoint checkpoint = Checkpoint.read(edited);
        CheckpointException e = assertThrows(CheckpointException.class, () -> checkpoint.resume(model));
        assertEquals(message, e.getMessage(), key + " = " + value);
        assertArrayEquals(before, model.everything(), "nothing is changed");
    }
}
