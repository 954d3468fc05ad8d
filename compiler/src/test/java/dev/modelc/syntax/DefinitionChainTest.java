package dev.modelc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.report.CompileReport;
import dev.modelc.report.GraphDot;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Definitions that each use the one before, {@code h1 = f(h0)}, {@code h2 = f(h1)}, ...: up to
 * 1,000 deep they compile, deeper they are refused quickly at the first definition too deep.
 */
class DefinitionChainTest {
    private static final int LIMIT = ModelSyntax.MAX_DEFINITION_CHAIN;

    /** {@code h0 = x} on line 3, then {@code h1} ... {@code h<length-1>}, each from the one before. */
    private static String chain(int length, IntFunction<String> step) {
        StringBuilder text = new StringBuilder("model Chain\nparam x = 0.5\nh0 = x\n");
        for (int i = 1; i < length; i++) {
            text.append('h').append(i).append(" = ").append(step.apply(i - 1)).append('\n');
        }
        return text.append("loss L = h").append(length - 1).append(" * x\n").toString();
    }

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of("a sum", (IntFunction<String>) i -> "h" + i + " + x"),
                Arguments.of("a negation", (IntFunction<String>) i -> "-h" + i),
                Arguments.of("a call", (IntFunction<String>) i -> "sin(h" + i + ")"),
                Arguments.of("parentheses and a product", (IntFunction<String>) i -> "(h" + i + ") * (x + 1)"),
                Arguments.of("a use of two before",
                        (IntFunction<String>) i -> "h" + i + (i > 0 ? " - h" + (i - 1) : "")));
    }

    @ParameterizedTest(name = "each step {0}")
    @MethodSource("steps")
    void aChainOf100000IsRefusedAtItsFirstDefinitionTooDeepWithinTwoSeconds(String name, IntFunction<String> step) {
        String text = chain(100_000, step);
        Diagnostics diagnostics = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> ModelCompiler.check(new SourceFile("chain.model", text)));
        // h0 is one definition deep, on line 3; h1000 is the first of 1,001, on line 1003.
        assertEquals("""
                chain.model:1003:1: error: `h1000` makes a chain of 1001 definitions, each using the one before \
                (the most is 1000)
                """, diagnostics.render().lines().findFirst().orElseThrow() + "\n");
        assertEquals(1, diagnostics.errorCount());
    }

    @Test
    void theLossCountsAsALinkOfTheChain() {
        String text = chain(LIMIT, i -> "h" + i + " + x");
        Diagnostics diagnostics = ModelCompiler.check(new SourceFile("chain.model", text));
        assertTrue(diagnostics.render().startsWith("chain.model:" + (LIMIT + 3) + ":6: error: `L` makes a chain of "
                + (LIMIT + 1) + " definitions"), diagnostics.render());
    }

    @Test
    void aChainAtTheLimitCompilesThroughEveryStage() throws Exception {
        String text = chain(LIMIT - 1, i -> "sin(h" + i + ") * x");
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("chain.model", text),
                ModelCompiler.Options.DEFAULT);
        assertTrue(result.javaSource().contains("public final class Chain "));
        assertTrue(result.simplified().gradientFormula("x").startsWith("dL/dx = "));
        result.load();
    }

    /**
     * A graph 10,000 operations deep, the chain's depth times the nesting of each definition:
     * every stage after the parser walks it without recursion, prints its gradient in bounded
     * text, and keeps each generated Java expression shallow.
     */
    @Test
    void aDeepGraphWithinTheLimitsGoesThroughEveryStageAndReport() throws Exception {
        int nesting = 100;
        String text = chain(100, i -> "sin(".repeat(nesting) + "h" + i + ")".repeat(nesting));
        ModelCompiler.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ModelCompiler.compile(
                new SourceFile("chain.model", text), ModelCompiler.Options.DEFAULT));
        assertTrue(result.simplified().gradientFormula("x").endsWith("..."));
        assertFalse(CompileReport.of(result, 8).isEmpty());
        assertTrue(GraphDot.withBackward(result).startsWith("digraph"));
        String java = result.javaSource();
        assertTrue(java.lines().mapToInt(DefinitionChainTest::parenthesesDepth).max().orElseThrow() < 200,
                "a generated expression nests too deeply for javac");
    }

    /** How deeply the code of a line of Java nests parentheses, leaving out strings and comments. */
    private static int parenthesesDepth(String line) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                i += c == '\\' ? 1 : 0;
                inString = c != '"';
            } else if (c == '"') {
                inString = true;
            } else if (line.startsWith("//", i)) {
                break;
            } else {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                deepest = Math.max(deepest, depth);
            }
        }
        return deepest;
    }

    @Test
    void definitionsSideBySideAreNoChain() {
        StringBuilder text = new StringBuilder("model Wide\nparam x = 0.5\n");
        for (int i = 0; i < 5 * LIMIT; i++) {
            text.append('h').append(i).append(" = x * ").append(i).append('\n');
        }
        text.append("loss L = h1 + h").append(5 * LIMIT - 1).append('\n');
        assertFalse(ModelCompiler.check(new SourceFile("wide.model", text.toString())).hasErrors());
    }

    @Test
    void aNameCountsOnlyOnceDeclared() {
        // h999 is 1,000 deep, but h1000 uses it before its declaration: an error, though not a chain too long.
        String text = chain(LIMIT, i -> "h" + i + " + x").replace("h0 = x\n", "h0 = x\nh1000 = h999 + x\n")
                .replace("loss L = h999 * x", "loss L = h1000");
        String rendered = ModelCompiler.check(new SourceFile("chain.model", text)).render();
        assertFalse(rendered.contains("makes a chain"), rendered);
        assertTrue(rendered.startsWith("chain.model:4:"), rendered);
    }

    @Test
    void theTrainBlockIsNoLink() {
        String text = chain(LIMIT, i -> "h" + i + " + x").replace("loss L = h999 * x", "loss L = x")
                + "train {\n  stop when h999 < 1\n}\n";
        assertFalse(ModelCompiler.check(new SourceFile("chain.model", text)).render().contains("makes a chain"));
    }
}
