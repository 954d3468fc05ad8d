package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.grammar.ModelLexer;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.ModelSyntax;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * A hostile model's twin: the same model with plain names ({@code Twin}, {@code v0}, {@code v1},
 * ... in declaration order) and no comments, and the check that both compute the same bits. A
 * name bound to the wrong buffer can still compile and train a finite step; only values show it.
 */
final class HostileTwins {
    private HostileTwins() {
    }

    /** The model's text with every declared name replaced by a plain one, comments left out. */
    static String twin(String text) {
        SourceFile source = new SourceFile("twin.model", text);
        Ast.Program program = ModelSyntax.parse(source, new Diagnostics(source))
                .orElseThrow(() -> new IllegalArgumentException("does not parse:\n" + text));
        Map<String, String> plain = new HashMap<>();
        for (Ast.Declaration d : program.declarations()) {
            plain.putIfAbsent(d.name().text(), "v" + plain.size());
        }
        Set<String> renamed = new HashSet<>();
        renamed.add(at(program.name().span()));
        program.declarations().forEach(d -> renamed.add(at(d.name().span())));
        program.recomputes().forEach(r -> r.names().forEach(n -> renamed.add(at(n.span()))));
        List<Ast.Expr> roots = new ArrayList<>();
        for (Ast.Declaration d : program.declarations()) {
            if (d instanceof Ast.Param p && p.init() != null) {
                roots.add(p.init());
            } else if (d instanceof Ast.Definition def) {
                roots.add(def.value());
            }
        }
        program.train().items().forEach(item -> {
            if (item instanceof Ast.StopItem stop) {
                roots.add(stop.condition());
            }
        });
        roots.forEach(root -> addNames(root, plain.keySet(), renamed));
        return retokenize(text, program.name().span(), plain, renamed);
    }

    private static String at(dev.modelc.diagnostics.Span span) {
        return span.line() + ":" + span.column();
    }

    /** The positions of the names in {@code expr} that refer to declarations. */
    private static void addNames(Ast.Expr expr, Set<String> declared, Set<String> positions) {
        if (expr instanceof Ast.Name name && declared.contains(name.name())) {
            positions.add(at(name.span()));
        } else if (expr instanceof Ast.Call call) {
            call.arguments().forEach(a -> addNames(a.value(), declared, positions));
        } else if (expr instanceof Ast.Unary unary) {
            addNames(unary.operand(), declared, positions);
        } else if (expr instanceof Ast.Binary binary) {
            addNames(binary.left(), declared, positions);
            addNames(binary.right(), declared, positions);
        } else if (expr instanceof Ast.ListLiteral list) {
            list.elements().forEach(e -> addNames(e, declared, positions));
        }
    }

    /** The tokens again, a line each as in the source, the names at {@code renamed} replaced. */
    private static String retokenize(String text, dev.modelc.diagnostics.Span modelName, Map<String, String> plain,
                                     Set<String> renamed) {
        ModelLexer lexer = new ModelLexer(CharStreams.fromString(text));
        StringBuilder out = new StringBuilder();
        int line = 1;
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            String position = token.getLine() + ":" + (token.getCharPositionInLine() + 1);
            String word = token.getText();
            if (position.equals(at(modelName))) {
                word = "Twin";
            } else if (renamed.contains(position)) {
                word = plain.get(word);
            }
            out.append(token.getLine() != line ? "\n" : out.length() == 0 ? "" : " ").append(word);
            line = token.getLine();
        }
        return out.append('\n').toString();
    }

    /**
     * Both models start from the same seed, train two steps on the same random rows, and agree
     * bit for bit on the initial params, every loss, metric, gradient, optimizer state and param
     * after each step, and whether to stop.
     */
    static void assertSameBits(Class<?> hostileType, Class<?> twinType, String what) throws Exception {
        TrainableModel hostile = (TrainableModel) hostileType.getConstructor(long.class, int.class).newInstance(7L, 4);
        TrainableModel twin = (TrainableModel) twinType.getConstructor(long.class, int.class).newInstance(7L, 4);
        ModelSignature signature = hostile.signature();
        assertEquals(signature.params().stream().map(ModelSignature.Param::shape).toList(),
                twin.signature().params().stream().map(ModelSignature.Param::shape).toList(), what + ": param shapes");
        assertEquals(signature.metrics().size(), twin.signature().metrics().size(), what + ": metrics");
        assertEquals(hostile.stateNames().size(), twin.stateNames().size(), what + ": state buffers");
        assertSame(hostile, twin, what + ", initial params", TrainableModel::param);
        int rows = 3;
        Object[] inputs = randomInputs(signature, rows, new Random(11));
        hostile.bind(inputs, rows);
        twin.bind(inputs, rows);
        for (int step = 1; step <= 2; step++) {
            String at = what + ", step " + step;
            assertEquals(bits(hostile.trainStep()), bits(twin.trainStep()), at + ": loss");
            assertEquals(hostile.stopRequested(), twin.stopRequested(), at + ": stop");
            for (int m = 0; m < signature.metrics().size(); m++) {
                assertEquals(bits(hostile.metric(m)), bits(twin.metric(m)), at + ": metric " + signature.metrics().get(m));
            }
            assertSame(hostile, twin, at + ", gradient", TrainableModel::gradient);
            assertSame(hostile, twin, at + ", param", TrainableModel::param);
            for (int b = 0; b < hostile.stateNames().size(); b++) {
                int size = signature.params().get(stateParam(signature, hostile.stateNames().get(b))).size();
                for (int i = 0; i < size; i++) {
                    assertEquals(bits(hostile.state(b, i)), bits(twin.state(b, i)),
                            at + ": state " + hostile.stateNames().get(b) + "[" + i + "]");
                }
            }
        }
    }

    private interface Element {
        double get(TrainableModel model, int param, int index);
    }

    private static void assertSame(TrainableModel hostile, TrainableModel twin, String what, Element element) {
        List<ModelSignature.Param> params = hostile.signature().params();
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0; i < params.get(p).size(); i++) {
                assertEquals(bits(element.get(hostile, p, i)), bits(element.get(twin, p, i)),
                        what + " of " + params.get(p).name() + "[" + i + "]");
            }
        }
    }

    private static int stateParam(ModelSignature signature, String state) {
        return signature.paramIndex(state.substring(0, state.lastIndexOf('.')));
    }

    private static String bits(double value) {
        return value + " (0x" + Long.toHexString(Double.doubleToRawLongBits(value)) + ")";
    }

    /** Random rows for every input: classes for integer inputs, values in [-1, 1) for the rest. */
    static Object[] randomInputs(ModelSignature signature, int rows, Random random) {
        Object[] inputs = new Object[signature.inputs().size()];
        boolean f64 = signature.dtype().equals("f64");
        for (int i = 0; i < inputs.length; i++) {
            ModelSignature.Input input = signature.inputs().get(i);
            int size = rows * input.rowSize();
            if (input.integer()) {
                int classes = input.classes() > 0 ? input.classes() : 2;
                inputs[i] = random.ints(size, 0, classes).toArray();
            } else if (f64) {
                inputs[i] = random.doubles(size, -1, 1).toArray();
            } else {
                float[] values = new float[size];
                for (int k = 0; k < size; k++) {
                    values[k] = random.nextFloat() * 2 - 1;
                }
                inputs[i] = values;
            }
        }
        return inputs;
    }
}
