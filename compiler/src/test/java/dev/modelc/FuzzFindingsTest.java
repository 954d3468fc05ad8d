package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The files {@link FrontEndFuzzTest} found the compiler failing on, shrunk, each with what the
 * front end must do with it now, checked by the same oracle.
 */
class FuzzFindingsTest {

    static Stream<Arguments> findings() {
        return Stream.of(
                // The lexer counted lines at \n only, the diagnostics at \r too: positions off the line.
                Arguments.of("a lone carriage return", "\r", FrontEndOracle.Verdict.REJECTED),
                Arguments.of("old Mac line ends", "model M\rparam x = 1\rloss L = x +\r",
                        FrontEndOracle.Verdict.REJECTED),
                // c1*(c2*x) and (c1*c2)*x rewrote into each other when c1*c2 overflows.
                Arguments.of("a product of constants that overflows", "model M\nparam p2\nh5=1e308*2loss L=h5*(p2)",
                        FrontEndOracle.Verdict.COMPILED),
                // Brackets were not counted as nesting: the parser overflowed the stack.
                Arguments.of("lists nested 100,000 deep", "model M\nparam x = 1\nloss L = " + "[".repeat(100_000)
                        + "x" + "]".repeat(100_000), FrontEndOracle.Verdict.REJECTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void isCompiledOrRefusedCleanly(String name, String text, FrontEndOracle.Verdict expected) {
        assertEquals(expected, FrontEndOracle.run(text.getBytes(StandardCharsets.UTF_8)).verdict(), name);
    }
}
