package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.DropoutSite;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java each op renders to computes what the reference interpreter computes: every op, and
 * expressions where precedence, signs and the special forms ({@code a - b}, {@code a / b},
 * {@code x * x} for {@code x^2}) matter, are compiled by javac and run in both dtypes.
 */
class JavaExpressionsTest {
    private static final Node A = Node.param("a", Shape.SCALAR);
    private static final Node B = Node.param("b", Shape.SCALAR);
    private static final double[][] POINTS = {{0.7, 0.3}, {-1.3, 2.0}, {2.5, 2.5}, {0.25, -4.0}};
    private static final Map<String, Node> CASES = cases();
    private static Class<?> probe;

    @BeforeAll
    static void compileEveryCase() {
        // What a dropout reads: the key that masks nothing (the Evaluator's formula), at element 0.
        StringBuilder source = new StringBuilder("public final class Probe {\n"
                + "static final long dropoutKey = dev.modelc.runtime.Dropout.OFF;\nstatic final int i = 0;\n");
        int i = 0;
        for (Node node : CASES.values()) {
            for (Dtype dtype : Dtype.values()) {
                String type = dtype.type().toString();
                String code = JavaExpressions.render(node, dtype, new OpTablesTest.ParamOperands(dtype))
                        .code().toString();
                source.append("public static ").append(type).append(" case").append(i).append(dtype.label())
                        .append('(').append(type).append(" a, ").append(type).append(" b) { return ")
                        .append(code).append("; }\n");
            }
            i++;
        }
        probe = load(source.append("}\n").toString());
    }

    @Test
    void everyOpAndEveryCaseComputesWhatTheEvaluatorComputes() throws ReflectiveOperationException {
        int i = 0;
        for (Map.Entry<String, Node> c : CASES.entrySet()) {
            for (double[] point : POINTS) {
                double expected = Evaluator.evaluate(List.of(c.getValue()),
                        name -> name.equals("a") ? point[0] : point[1]).get(c.getValue());
                Method f64 = probe.getMethod("case" + i + "f64", double.class, double.class);
                Method f32 = probe.getMethod("case" + i + "f32", float.class, float.class);
                double inDouble = (double) f64.invoke(null, point[0], point[1]);
                double inFloat = (float) f32.invoke(null, (float) point[0], (float) point[1]);
                String where = c.getKey() + " at a=" + point[0] + ", b=" + point[1];
                assertClose(expected, inDouble, 1e-12, where + " in f64");
                assertClose(expected, inFloat, 1e-5, where + " in f32");
            }
            i++;
        }
    }

    /**
     * In training, dropout multiplies by the mask of its own site and element, drawn from the step's
     * key, also where the product sits under a tighter operator.
     */
    @Test
    void dropoutMultipliesByTheMaskOfItsSiteAndElement() throws ReflectiveOperationException {
        long key = dev.modelc.runtime.Dropout.key(7, 3);
        DropoutSite site = new DropoutSite(3, 0.25);
        List<Node> nodes = List.of(Node.of(Op.DROPOUT, site, add(A, B)), mul(B, recip(Node.of(Op.DROPOUT, site, A))),
                neg(Node.of(Op.DROPOUT, site, mul(A, B))));
        StringBuilder source = new StringBuilder("public final class Masked {\nstatic final long dropoutKey = "
                + key + "L;\n");
        for (int n = 0; n < nodes.size(); n++) {
            for (Dtype dtype : Dtype.values()) {
                String type = dtype.type().toString();
                source.append("public static ").append(type).append(" case").append(n).append(dtype.label())
                        .append('(').append(type).append(" a, ").append(type).append(" b, int i) { return ")
                        .append(JavaExpressions.render(nodes.get(n), dtype, new OpTablesTest.ParamOperands(dtype))
                                .code())
                        .append("; }\n");
            }
        }
        Class<?> masked;
        try {
            masked = InMemoryCompiler.compile(Map.of("Masked", source.append("}\n").toString())).loadClass("Masked");
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        double a = 0.7;
        double b = -1.3;
        int dropped = 0;
        for (int i = 0; i < 16; i++) {
            double m = dev.modelc.runtime.Dropout.mask(key, 3, i, 0.25);
            dropped += m == 0 ? 1 : 0;
            double[] expected = {(a + b) * m, b / (a * m), -(a * b * m)};
            for (int n = 0; n < nodes.size(); n++) {
                Method f64 = masked.getMethod("case" + n + "f64", double.class, double.class, int.class);
                Method f32 = masked.getMethod("case" + n + "f32", float.class, float.class, int.class);
                String where = nodes.get(n) + " at element " + i;
                assertClose(expected[n], (double) f64.invoke(null, a, b, i), 1e-12, where + " in f64");
                assertClose(expected[n], (float) f32.invoke(null, (float) a, (float) b, i), 1e-5, where + " in f32");
            }
        }
        assertTrue(dropped > 0 && dropped < 16, dropped + " of 16 elements dropped");
    }

    private static void assertClose(double expected, double actual, double relative, String where) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), where + ": expected NaN, got " + actual);
            return;
        }
        assertEquals(expected, actual, relative * Math.max(1, Math.abs(expected)), where);
    }

    private static Map<String, Node> cases() {
        Map<String, Node> cases = new LinkedHashMap<>();
        for (Op op : Op.values()) {
            if (op == Op.DROPOUT) {
                cases.put(op.mnemonic(), Node.of(op, new DropoutSite(0, 0.5), add(A, B)));
            } else if (op.isElementwise()) {
                cases.put(op.mnemonic(), Node.of(op, java.util.Arrays.copyOf(new Node[] {A, B, add(A, B)}, op.arity())));
            }
        }
        cases.put("a^2", pow(A, 2));
        cases.put("(a + b)^2", pow(add(A, B), 2));
        cases.put("a^0.5", pow(A, 0.5));
        cases.put("a^-1", pow(A, -1));
        cases.put("a^3", pow(A, 3));
        cases.put("b * a^2", mul(B, pow(A, 2)));
        cases.put("-a^2", neg(pow(A, 2)));
        cases.put("a - b", add(A, neg(B)));
        cases.put("a - (b + a)", add(A, neg(add(B, A))));
        cases.put("a - -b", add(A, neg(neg(B))));
        cases.put("a - 0.5", add(A, Node.constant(-0.5)));
        cases.put("a * -2", mul(A, Node.constant(-2)));
        cases.put("a - -2", add(A, neg(Node.constant(-2))));
        cases.put("a / b", mul(A, recip(B)));
        cases.put("a / (a * b)", mul(A, recip(mul(A, B))));
        cases.put("1 / (a + b)", recip(add(A, B)));
        cases.put("--a", neg(neg(A)));
        cases.put("-(a + b)", neg(add(A, B)));
        cases.put("-exp(a)", neg(Node.of(Op.EXP, A)));
        cases.put("exp(a) * b", mul(Node.of(Op.EXP, A), B));
        cases.put("(a < b) + (a > b)", add(Node.of(Op.LT, A, B), Node.of(Op.GT, A, B)));
        cases.put("(a + b) <= a * b", Node.of(Op.LE, add(A, B), mul(A, B)));
        cases.put("step(a) * b", mul(Node.of(Op.STEP, A), B));
        cases.put("-step(a - b)", neg(Node.of(Op.STEP, add(A, neg(B)))));
        cases.put("relu(-a) + sign(a - b)", add(Node.of(Op.RELU, neg(A)), Node.of(Op.SIGN, add(A, neg(B)))));
        cases.put("where(a < b, a - b, b * 2)", Node.of(Op.WHERE, Node.of(Op.LT, A, B), add(A, neg(B)),
                mul(B, Node.constant(2))));
        cases.put("where(a - b, a, -b) * 3", mul(Node.of(Op.WHERE, add(A, neg(B)), A, neg(B)), Node.constant(3)));
        cases.put("-where(a >= b, a, b)", neg(Node.of(Op.WHERE, Node.of(Op.GE, A, B), A, B)));
        cases.put("sigmoid(a * b) - softplus(-a)",
                add(Node.of(Op.SIGMOID, mul(A, B)), neg(Node.of(Op.SOFTPLUS, neg(A)))));
        return cases;
    }

    private static Class<?> load(String source) {
        try {
            return InMemoryCompiler.compile(Map.of("Probe", source)).loadClass("Probe");
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static Node pow(Node a, double exponent) {
        return Node.of(Op.POW, a, Node.constant(exponent));
    }

    private static Node add(Node a, Node b) {
        return Node.of(Op.ADD, a, b);
    }

    private static Node mul(Node a, Node b) {
        return Node.of(Op.MUL, a, b);
    }

    private static Node neg(Node a) {
        return Node.of(Op.NEG, a);
    }

    private static Node recip(Node a) {
        return Node.of(Op.RECIP, a);
    }
}
