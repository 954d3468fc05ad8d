package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The timed units do the whole of their work every time they run, not only the first time. */
class TrainingRunTest {
    @Test
    void theSeedExamplesUnitIsTheWholeLoopEachTime() {
        TrainingRun run = TrainingRun.start(Workload.W1, Workload.W1.compile());
        for (int repeat = 0; repeat < 3; repeat++) {
            double loss = run.unit();
            // Each update scales x by 1 - 0.1 * 2 and y by 1 - 0.1 * 4; J = x^2 + 2 y^2 first
            // drops below 0.005 after 17 of them (the seed's worked example).
            double x = -3 * Math.pow(0.8, 17);
            double y = -3 * Math.pow(0.6, 17);
            assertEquals(17, run.model().stepCount(), "updates in run " + repeat);
            assertEquals(x * x + 2 * y * y, loss, 1e-15);
            assertEquals(0.004564, loss, 5e-7);
            assertEquals(x, run.model().param(0, 0), 1e-15);
        }
    }

    @Test
    void anEpochOfTheDigitsWorkloadTakesFiftySevenSteps() {
        TrainingRun run = TrainingRun.start(Workload.W4, Workload.W4.compile());
        run.unit();
        assertEquals(57, run.model().stepCount());
        run.unit();
        assertEquals(114, run.model().stepCount());
    }
}
