package dev.modelc.plan;

import dev.modelc.check.Limits;
import dev.modelc.graph.ModelIr;
import java.util.List;

/**
 * How many rows a generated model can be made for: each value with the batch dimension lives
 * in one Java array of rows times its elements per row, so the widest such value bounds the rows.
 */
public final class BatchCapacity {
    /** Rows a model is made for when its train block names no batch size. */
    public static final int DEFAULT_ROWS = 1024;

    private BatchCapacity() {
    }

    /**
     * The widest input or value with the batch dimension that either pass writes; params and
     * their gradients do not grow with the batch.
     */
    public static Limits.Widest widest(Plan plan) {
        Limits.Widest widest = Limits.Widest.NONE;
        for (ModelIr.InputSpec input : plan.model().inputs()) {
            widest = widest.or(Limits.Widest.of(input.name(), true), input.node().shape());
        }
        for (List<Plan.Assignment> pass : List.of(plan.forward(), plan.backward())) {
            for (Plan.Assignment a : pass) {
                String name = a.origin() != null ? a.origin().name() : a.label();
                if (name != null) {
                    widest = widest.or(Limits.Widest.of(name, a.role() == Plan.Role.VALUE), a.node().shape());
                } else {
                    widest = widest.or("a value of the " + (pass == plan.forward() ? "forward" : "backward")
                            + " pass", a.node().shape());
                }
            }
        }
        return widest;
    }

    /** The most rows per pass: as many as fit the widest value's array. */
    public static int maxRows(Plan plan) {
        return Limits.maxRows(widest(plan).rowElements());
    }

    /**
     * Rows the model is made for by default: one without inputs; the train block's batch size;
     * else {@link #DEFAULT_ROWS}, or fewer when the widest value allows fewer.
     */
    public static int defaultRows(Plan plan) {
        if (plan.model().inputs().isEmpty()) {
            return 1;
        }
        int batch = plan.model().train().batchSize();
        return batch > 0 ? batch : Math.min(DEFAULT_ROWS, maxRows(plan));
    }
}
