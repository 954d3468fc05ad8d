package dev.modelc.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.ModelCompiler;
import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The IR verifier passes every stage of every sample and names each broken invariant. */
class IrVerifierTest {
    private static final Node X = Node.param("x", Shape.SCALAR);
    private static final Node Y = Node.param("y", Shape.SCALAR);
    private static final Node VECTOR = Node.param("w", new Shape(List.of(3)));

    @Test
    void acceptsEveryStageOfEverySample() throws Exception {
        for (Sample sample : Sample.all()) {
            ModelCompiler.Result result = sample.compile(Dtype.F64);
            for (ModelIr stage : List.of(result.lowered(), result.differentiated(), result.simplified())) {
                assertEquals(List.of(), IrVerifier.problems(stage), sample.name());
            }
        }
    }

    @Test
    void acceptsAHandBuiltModelWithItsGradient() {
        ModelIr model = model(List.of(param(X)), List.of(loss("J", square(X))), Map.of("x", mul(Node.constant(2), X)));
        assertEquals(List.of(), IrVerifier.problems(model));
        assertEquals(model, IrVerifier.verify(model, "test"));
    }

    @Test
    void reportsAParamUsedButNotDeclared() {
        ModelIr model = model(List.of(param(X)), List.of(loss("J", Node.of(Op.ADD, square(X), Y))), Map.of());
        assertEquals(List.of("param y is used but not declared"), IrVerifier.problems(model));
    }

    @Test
    void reportsAModelWithoutALossOrWithTwo() {
        assertEquals(List.of("model has 0 losses"), IrVerifier.problems(model(List.of(param(X)), List.of(), Map.of())));
        ModelIr twice = model(List.of(param(X)), List.of(loss("J", square(X)), loss("K", X)), Map.of());
        assertEquals(List.of("model has 2 losses"), IrVerifier.problems(twice));
    }

    @Test
    void reportsALossThatIsNotAScalar() {
        ModelIr model = model(List.of(param(VECTOR)), List.of(loss("J", VECTOR)), Map.of());
        assertEquals(List.of("loss is not a scalar"), IrVerifier.problems(model));
    }

    @Test
    void reportsAParamWithoutAGradientOnceDifferentiated() {
        ModelIr model = model(List.of(param(X), param(Y)), List.of(loss("J", Node.of(Op.ADD, X, Y))),
                Map.of("x", Node.constant(1)));
        assertEquals(List.of("no gradient for y"), IrVerifier.problems(model));
    }

    @Test
    void reportsAGradientOfTheWrongShape() {
        ModelIr model = model(List.of(param(X), param(VECTOR)), List.of(loss("J", X)),
                ordered("x", Node.constant(1), "w", Node.constant(0)));
        assertEquals(List.of("gradient of w has shape [], param [3]"), IrVerifier.problems(model));
    }

    @Test
    void verifyNamesTheStageAndEveryProblem() {
        ModelIr model = model(List.of(), List.of(loss("J", square(X)), loss("K", X)), Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IrVerifier.verify(model, "simplify"));
        assertEquals("IR invalid after simplify: param x is used but not declared; model has 2 losses", e.getMessage());
    }

    private static ModelIr model(List<ModelIr.ParamSpec> params, List<ModelIr.NamedValue> values,
                                 Map<String, Node> gradients) {
        return new ModelIr("M", "m.model", params, List.of(), values, Optional.empty(), TrainSpec.defaults(), gradients);
    }

    private static ModelIr.ParamSpec param(Node node) {
        return new ModelIr.ParamSpec(node.name(), node, new Initializer.Constant(0), Span.NONE, "");
    }

    private static ModelIr.NamedValue loss(String name, Node node) {
        return new ModelIr.NamedValue(name, ModelIr.NamedValue.Kind.LOSS, node, Span.NONE, "");
    }

    private static Map<String, Node> ordered(String k1, Node v1, String k2, Node v2) {
        Map<String, Node> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private static Node square(Node a) {
        return Node.of(Op.POW, a, Node.constant(2));
    }

    private static Node mul(Node a, Node b) {
        return Node.of(Op.MUL, a, b);
    }
}
