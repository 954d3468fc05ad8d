package dev.modelc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan keeps from the forward pass exactly the values the backward pass reads. */
class PlannerTest {

    @Test
    void seedExampleStoresNothing() throws Exception {
        // dJ/dx = 2 * x and dJ/dy = 4 * y read parameters only.
        assertEquals(Set.of(), plan("quadratic").stored());
    }

    @Test
    void logisticStoresOnlyTheSigmoid() throws Exception {
        // dL/dw = 2 * (p - 1) and dL/db = p - 1 read p; 2 * w only feeds z and is not stored.
        Plan plan = plan("logistic");
        assertEquals(Set.of(value(plan.model(), "p")), plan.stored());
    }

    @Test
    void polarStoresTheCosineSineAndBothResiduals() throws Exception {
        Plan plan = plan("polar");
        Node theta = Node.param("theta", Shape.SCALAR);
        Node residualX = Node.of(Op.ADD, value(plan.model(), "px"), Node.constant(-0.6));
        Node residualY = Node.of(Op.ADD, value(plan.model(), "py"), Node.constant(-0.8));
        assertEquals(Set.of(Node.of(Op.COS, theta), Node.of(Op.SIN, theta), residualX, residualY), plan.stored());
    }

    private static Plan plan(String sample) throws Exception {
        return Sample.named(sample).compile(Dtype.F64).plan();
    }

    private static Node value(ModelIr model, String name) {
        return model.values().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().node();
    }
}
