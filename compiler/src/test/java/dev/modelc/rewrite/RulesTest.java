package dev.modelc.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.DropoutSite;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.Dropout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every rewrite rule, by value: each one fires on a node of its pattern, and no rule, applied
 * to any node of any example (its own, the others', and near misses that must not match),
 * changes the node's shape or its value, as the reference interpreter computes it at random
 * points. The whole rule sets, run by the simplifier to a fixed point, keep values too.
 */
class RulesTest {
    private static final Node X = Node.param("x", Shape.SCALAR);
    private static final Node Y = Node.param("y", Shape.SCALAR);
    private static final Node Z = Node.param("z", Shape.SCALAR);
    private static final Node M = Node.param("m", Shape.of(2, 3));
    private static final Node P = Node.param("p", Shape.of(3, 2));
    private static final Shape S = Shape.of(2, 3);
    /** A training step's key: values are compared with dropout's masks drawn, not switched off. */
    private static final long KEY = Dropout.key(11, 5);

    /** For each rule, by name, nodes it must rewrite. */
    private static final Map<String, List<Node>> FIRES = new LinkedHashMap<>();
    /** Nodes close to a pattern that the rule must leave alone (else their values change). */
    private static final List<Node> NEAR_MISSES = new ArrayList<>();

    static {
        identities();
        views();
        stability();
        orders();
        canonical();
    }

    @Test
    void everyRuleFiresOnItsPattern() {
        Set<String> names = new LinkedHashSet<>();
        for (Rule rule : allRules()) {
            names.add(rule.name());
            List<Node> examples = FIRES.get(rule.name());
            assertNotNull(examples, "no example for `" + rule.name() + "`");
            for (Node example : examples) {
                assertNotNull(rule.apply(example), "`" + rule.name() + "` at " + example);
            }
        }
        assertEquals(names, FIRES.keySet(), "examples for rules that do not exist");
    }

    @Test
    void noRuleChangesAValueAnywhere() {
        List<Node> nodes = new ArrayList<>(everyExample());
        for (Node node : Graphs.topologicalOrder(everyExample())) {
            if (!node.op().isLeaf() && !nodes.contains(node)) {
                nodes.add(node);
            }
        }
        for (Rule rule : allRules()) {
            for (Node node : nodes) {
                Node result = rule.apply(node);
                if (result != null) {
                    assertEquals(node.shape(), result.shape(), "`" + rule.name() + "` at " + node);
                    assertSameValue(node, result, "`" + rule.name() + "` at " + node);
                }
            }
        }
    }

    @Test
    void theSimplifierKeepsEveryValueAndReachesAFixedPoint() {
        for (List<Rule> rules : List.of(Rules.SIMPLIFY, Rules.STABILIZE)) {
            Simplifier simplifier = new Simplifier(rules);
            for (Node node : everyExample()) {
                Node simplified = simplifier.rewrite(node);
                assertSameValue(node, simplified, "simplified " + node);
                for (Node inner : Graphs.topologicalOrder(List.of(simplified))) {
                    for (Rule rule : rules) {
                        assertEquals(null, rule.apply(inner), "`" + rule.name() + "` still fires in " + simplified);
                    }
                }
            }
        }
    }

    @Test
    void theLogCountsEachFiringOnTopOfWhatItHeld() throws Exception {
        ModelIr model = dev.modelc.Sample.named("quadratic").compile(dev.modelc.codegen.Dtype.F64).differentiated();
        Map<String, Integer> once = new LinkedHashMap<>();
        Simplifier.rewrite(model, Rules.SIMPLIFY, once);
        assertTrue(once.containsKey("x^1 -> x"), once.toString());
        Map<String, Integer> twice = new LinkedHashMap<>(once);
        Simplifier.rewrite(model, Rules.SIMPLIFY, twice);
        for (Map.Entry<String, Integer> entry : once.entrySet()) {
            assertTrue(entry.getValue() > 0, entry.getKey());
            assertEquals(2 * entry.getValue(), twice.get(entry.getKey()), entry.getKey());
        }
    }

    private static void identities() {
        fires("op(c...) -> c", add(c(2), c(3)), Node.of(Op.EXP, c(0.5)), Node.of(Op.WHERE, c(0), c(2), c(3)));
        NEAR_MISSES.add(Node.of(Op.EXP, c(1000)));
        fires("x+0 -> x", add(X, c(0)));
        fires("0+x -> x", add(c(0), X));
        fires("x*1 -> x", mul(X, c(1)));
        fires("1*x -> x", mul(c(1), X));
        fires("0*x -> 0", mul(c(0), X), mul(X, c(0)), mul(fill(0), M), mul(M, fill(0)));
        fires("x+0 -> x (broadcast 0)", add(M, fill(0)));
        fires("0+x -> x (broadcast 0)", add(fill(0), M));
        NEAR_MISSES.add(add(X, fill(0)));
        NEAR_MISSES.add(add(fill(0), X));
        fires("-1*x -> -x", mul(c(-1), X));
        fires("--x -> x", neg(neg(X)));
        fires("1/(1/x) -> x", recip(recip(X)));
        fires("x^1 -> x", pow(X, c(1)));
        fires("x^0 -> 1", pow(X, c(0)), pow(M, c(0)));
        fires("x+-x -> 0", add(X, neg(X)), add(M, neg(M)));
        NEAR_MISSES.addAll(List.of(add(X, c(1)), add(c(1), X), mul(X, c(2)), mul(c(2), X), mul(c(-2), X),
                mul(fill(1), M), neg(recip(X)), recip(neg(X)), pow(X, c(2)), add(X, neg(Y)), add(neg(X), X),
                mul(c(0.5), add(X, c(0)))));
    }

    private static void views() {
        fires("reshape(x) -> x when shapes agree", Node.of(Op.RESHAPE, S, M), Node.of(Op.EXPAND, S, M));
        fires("reshape(reshape(x)) -> reshape(x)", Node.of(Op.RESHAPE, Shape.of(6), Node.of(Op.RESHAPE, P.shape(), M)));
        fires("transpose(transpose(x)) -> x", Node.of(Op.TRANSPOSE, Node.of(Op.TRANSPOSE, P)));
        fires("reshape(c) -> expand(c)", Node.of(Op.RESHAPE, Shape.of(1, 1), X));
        fires("view(fill(c)) -> fill(c)", Node.of(Op.RESHAPE, P.shape(), fill(2)),
                Node.of(Op.EXPAND, Shape.of(2, 2, 3), Node.of(Op.EXPAND, Shape.of(1, 2, 3), X)));
        fires("expand(scalar) op x -> scalar op x", mul(expand(X), M), add(M, expand(Y)));
        fires("f(expand(s)) -> expand(f(s))", Node.of(Op.EXP, expand(X)), neg(expand(Y)));
        Node row = Node.param("r", Shape.of(1, 3));
        NEAR_MISSES.addAll(List.of(Node.of(Op.RESHAPE, P.shape(), M), Node.of(Op.TRANSPOSE, M),
                Node.of(Op.EXPAND, S, row), Node.of(Op.RESHAPE, Shape.of(3), row), mul(Node.of(Op.EXPAND, S, row), M),
                Node.of(Op.EXP, Node.of(Op.EXPAND, S, row)), Node.of(Op.RESHAPE, P.shape(), Node.of(Op.EXPAND, S, row)),
                Node.of(Op.TRANSPOSE, Node.of(Op.RESHAPE, P.shape(), M))));
        // Each element of a broadcast value draws a mask of its own, and a constant's mask is drawn each step.
        DropoutSite site = new DropoutSite(0, 0.5);
        NEAR_MISSES.addAll(List.of(Node.of(Op.DROPOUT, site, expand(X)), Node.of(Op.DROPOUT, site, c(2))));
    }

    private static void stability() {
        Node sigmoid = Node.of(Op.SIGMOID, X);
        Node exp = Node.of(Op.EXP, X);
        fires("log(exp(x)) -> x", log(exp));
        fires("log(sigmoid(x)) -> -softplus(-x)", log(sigmoid));
        fires("log(1 - sigmoid(x)) -> -softplus(x)", log(add(c(1), neg(sigmoid))));
        fires("log(1 + exp(x)) -> softplus(x)", log(add(c(1), exp)));
        fires("log(exp(x) + 1) -> softplus(x)", log(add(exp, c(1))));
        fires("1 / (1 + exp(-x)) -> sigmoid(x)", recip(add(c(1), Node.of(Op.EXP, neg(X)))));
        fires("sqrt(x^2) -> abs(x)", Node.of(Op.SQRT, pow(X, c(2))));
        Node tanh = Node.of(Op.TANH, X);
        NEAR_MISSES.addAll(List.of(log(Node.of(Op.EXP, Y)), log(tanh), log(add(c(2), neg(sigmoid))),
                log(add(c(1), neg(tanh))), log(add(c(1), sigmoid)), log(add(c(2), exp)), log(add(exp, c(2))),
                log(add(c(1), tanh)), log(add(tanh, c(1))), recip(add(c(2), Node.of(Op.EXP, neg(X)))),
                recip(add(c(1), exp)), recip(add(c(1), Node.of(Op.TANH, neg(X)))), Node.of(Op.SQRT, pow(X, c(4))),
                Node.of(Op.SQRT, Node.of(Op.EXP, X)), recip(add(exp, c(1))), Node.of(Op.EXP, Node.of(Op.LOG, Y))));
    }

    private static void orders() {
        Node image = Node.param("i", Shape.of(2, 3, 4, 5));
        fires("max_pool2d(relu(x)) -> relu(max_pool2d(x))", Node.of(Op.MAX_POOL2D, 2, Node.of(Op.RELU, image)),
                Node.of(Op.MAX_POOL2D, 3, Node.of(Op.RELU, image)));
        NEAR_MISSES.addAll(List.of(Node.of(Op.MAX_POOL2D, 2, Node.of(Op.TANH, image)),
                Node.of(Op.RELU, Node.of(Op.MAX_POOL2D, 2, image))));
    }

    private static void canonical() {
        fires("x*c -> c*x", mul(X, c(2)));
        fires("c+x -> x+c", add(c(2), X));
        fires("c1*(c2*x) -> (c1*c2)*x", mul(c(2), mul(c(3), X)));
        fires("a*(c*x) -> c*(a*x)", mul(Y, mul(c(3), X)));
        fires("(c*x)*a -> c*(x*a)", mul(mul(c(3), X), Y));
        fires("(x+c1)+c2 -> x+(c1+c2)", add(add(X, c(2)), c(3)));
        fires("-(c*x) -> (-c)*x", neg(mul(c(3), X)));
        fires("c*(-x) -> (-c)*x", mul(c(3), neg(X)));
        fires("(-a)*x -> -(a*x)", mul(neg(Y), X));
        fires("a*x + a*y -> a*(x + y)", add(mul(X, Y), mul(X, Z)), add(mul(X, M), mul(X, neg(M))));
        fires("-(a*x) + a*y -> a*(y - x)", add(neg(mul(X, Y)), mul(X, Z)));
        fires("a*x + -(a*y) -> a*(x - y)", add(mul(X, Y), neg(mul(X, Z))));
        // Constants whose product or sum overflows do not fold, and must not swap back and forth.
        NEAR_MISSES.addAll(List.of(mul(c(1e300), c(-1e300)), add(c(1e308), c(1.5e308)),
                mul(c(2), mul(c(1e308), X)), mul(c(1e300), mul(c(1e300), X))));
        NEAR_MISSES.addAll(List.of( mul(c(2), mul(Y, X)), mul(mul(Y, X), Z),
                add(add(X, Y), c(3)), add(add(X, c(2)), Y), neg(mul(Y, X)), mul(Y, neg(X)), mul(neg(c(2)), X),
                add(mul(X, Y), mul(Z, Y)), add(mul(M, X), mul(M, Y)), add(neg(mul(X, Y)), mul(Z, Y)),
                add(mul(X, Y), neg(mul(Z, Y))), add(mul(X, Y), neg(Z)), add(neg(Z), mul(X, Y)),
                add(mul(M, X), mul(M, neg(X)))));
    }

    private static List<Rule> allRules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Rule rule : Rules.SIMPLIFY) {
            rules.put(rule.name(), rule);
        }
        for (Rule rule : Rules.STABILIZE) {
            rules.put(rule.name(), rule);
        }
        return List.copyOf(rules.values());
    }

    private static List<Node> everyExample() {
        List<Node> nodes = new ArrayList<>();
        FIRES.values().forEach(nodes::addAll);
        nodes.addAll(NEAR_MISSES);
        return nodes;
    }

    private static void fires(String rule, Node... examples) {
        FIRES.put(rule, List.of(examples));
    }

    /** The two nodes' values agree at three random points (x, y, z in [0.3, 1.5] either sign). */
    private static void assertSameValue(Node expected, Node actual, String what) {
        Random random = new Random(expected.toString().hashCode());
        for (int point = 0; point < 3; point++) {
            Map<String, double[]> values = new HashMap<>();
            for (Node leaf : Graphs.topologicalOrder(List.of(expected, actual))) {
                if (leaf.op() == Op.PARAM && !values.containsKey(leaf.name())) {
                    double[] v = new double[(int) leaf.shape().size(1)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (random.nextBoolean() ? 1 : -1) * (0.3 + 1.2 * random.nextDouble());
                    }
                    values.put(leaf.name(), v);
                }
            }
            double[] want = evaluate(expected, values);
            double[] got = evaluate(actual, values);
            assertEquals(want.length, got.length, what);
            for (int i = 0; i < want.length; i++) {
                if (Double.isFinite(want[i])) {
                    assertEquals(want[i], got[i], 1e-12 * Math.max(1, Math.abs(want[i])), what + " [" + i + "]");
                }
            }
        }
    }

    private static double[] evaluate(Node node, Map<String, double[]> values) {
        return Evaluator.evaluate(List.of(node), new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                return new Tensor(Tensor.dims(shapeOf(node, name), 1), values.get(name));
            }

            @Override
            public Tensor input(String name) {
                throw new IllegalArgumentException(name);
            }

            @Override
            public int rows() {
                return 1;
            }

            @Override
            public long dropoutKey() {
                return KEY;
            }
        }).get(node).data();
    }

    private static Shape shapeOf(Node root, String name) {
        for (Node n : Graphs.topologicalOrder(List.of(root))) {
            if (n.op() == Op.PARAM && n.name().equals(name)) {
                return n.shape();
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static Node c(double value) {
        return Node.constant(value);
    }

    private static Node fill(double value) {
        return Node.fill(value, S);
    }

    private static Node expand(Node scalar) {
        return Node.of(Op.EXPAND, S, scalar);
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

    private static Node pow(Node a, Node b) {
        return Node.of(Op.POW, a, b);
    }

    private static Node log(Node a) {
        return Node.of(Op.LOG, a);
    }
}
