package dev.modelc.syntax;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expressions 100,000 deep get a clear error quickly, never a StackOverflowError. */
class DeepInputTest {
    private static final int DEPTH = 100_000;

    static Stream<Arguments> deepExpressions() {
        return Stream.of(
                Arguments.of("parentheses", "(".repeat(DEPTH) + "x" + ")".repeat(DEPTH), "nested too deeply"),
                Arguments.of("unary minus", "-".repeat(DEPTH) + "x", "nested too deeply"),
                Arguments.of("a chain of +", "x" + " + x".repeat(DEPTH), "too long"),
                Arguments.of("a chain of ^", "x" + "^x".repeat(DEPTH), "too long"),
                Arguments.of("calls", "exp(".repeat(DEPTH) + "x" + ")".repeat(DEPTH), "nested too deeply"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepExpressions")
    void isRefusedWithADiagnosticWithinTwoSeconds(String name, String expression, String message) {
        String text = "model Deep\nparam x = 0.5\nloss L = " + expression + "\n";
        Diagnostics diagnostics = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> ModelCompiler.check(new SourceFile("deep.model", text)));
        assertTrue(diagnostics.hasErrors(), name);
        assertTrue(diagnostics.render().contains(message), diagnostics.render());
        assertTrue(diagnostics.render().startsWith("deep.model:3:"), diagnostics.render());
    }

    @Test
    void aLongButAllowedChainCompiles() {
        String text = "model Long\nparam x = 0.5\nloss L = x" + " + x * 0.5".repeat(200) + "\n";
        Diagnostics diagnostics = ModelCompiler.check(new SourceFile("long.model", text));
        assertFalse(diagnostics.hasErrors(), diagnostics.render());
    }
}
