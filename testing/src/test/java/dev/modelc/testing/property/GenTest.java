package dev.modelc.testing.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenTest {

    @Test
    void theSameSeedDrawsTheSameValues() {
        Gen<List<Double>> gen = Gen.lists(Gen.doubles(-5, 5), 0, 8);
        assertEquals(draw(gen, 11), draw(gen, 11));
        assertNotEquals(draw(gen, 11), draw(gen, 12));
    }

    @Test
    void generatedValuesStayInTheirRanges() {
        RandomSource random = new RandomSource(3);
        Gen<Integer> ints = Gen.integers(-3, 4);
        Gen<Double> doubles = Gen.doubles(0.5, 0.75);
        boolean[] seen = new boolean[8];
        for (int i = 0; i < 2000; i++) {
            int n = ints.generate(random);
            assertTrue(n >= -3 && n <= 4, "out of range: " + n);
            seen[n + 3] = true;
            double d = doubles.generate(random);
            assertTrue(d >= 0.5 && d < 0.75, "out of range: " + d);
        }
        for (boolean s : seen) {
            assertTrue(s, "every integer of a small range comes up in 2000 draws");
        }
    }

    @Test
    void integersShrinkToTheExactBoundaryOfAFailure() {
        assertEquals(37, shrinkUntilPasses(Gen.integers(0, 1000), 912, v -> v < 37));
        assertEquals(-37, shrinkUntilPasses(Gen.integers(-1000, 1000), -912, v -> v > -37));
        assertEquals(5, shrinkUntilPasses(Gen.integers(5, 1000), 700, v -> false), "the range bounds the target");
    }

    @Test
    void doublesShrinkToTheSimplestFailingValue() {
        assertEquals(2.0, shrinkUntilPasses(Gen.doubles(-10, 10), 7.3312, v -> v < 2));
        assertEquals(-0.5, shrinkUntilPasses(Gen.doubles(-10, 10), -6.8125, v -> Math.abs(v) < 0.5));
    }

    @Test
    void listsShrinkToTheSingleOffendingElement() {
        Gen<List<Integer>> gen = Gen.lists(Gen.integers(0, 100), 0, 20);
        List<Integer> failing = List.of(3, 88, 14, 0, 61, 7);
        assertEquals(List.of(10), shrinkUntilPasses(gen, failing, list -> list.stream().allMatch(v -> v < 10)));
    }

    @Test
    void elementsShrinkTowardTheFirstListed() {
        Gen<String> gen = Gen.elements(List.of("a", "b", "c", "d"));
        assertEquals(List.of("a", "b"), gen.shrink("c").toList());
        assertEquals("b", shrinkUntilPasses(gen, "d", s -> s.equals("a")));
    }

    @Test
    void pairsShrinkBothComponents() {
        Gen<Gen.Pair<Integer, Integer>> gen = Gen.pairs(Gen.integers(0, 100), Gen.integers(0, 100));
        assertEquals(new Gen.Pair<>(3, 4), shrinkUntilPasses(gen, new Gen.Pair<>(90, 80),
                p -> p.first() < 3 || p.second() < 4));
    }

    @Test
    void filterAndMapKeepShrinkingInsideTheirDomain() {
        Gen<Integer> evens = Gen.integers(0, 1000).filter(v -> v % 2 == 0);
        RandomSource random = new RandomSource(5);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, evens.generate(random) % 2);
        }
        assertEquals(38, shrinkUntilPasses(evens, 500, v -> v < 37));
        Gen<String> texts = Gen.integers(0, 1000).map(String::valueOf, Integer::parseInt);
        assertEquals("37", shrinkUntilPasses(texts, "912", s -> Integer.parseInt(s) < 37));
    }

    private static <T> List<T> draw(Gen<T> gen, long seed) {
        RandomSource random = new RandomSource(seed);
        List<T> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            values.add(gen.generate(random));
        }
        return values;
    }

    private static <T> T shrinkUntilPasses(Gen<T> gen, T failing, java.util.function.Predicate<T> property) {
        GreedyShrinker.Result<T> result = GreedyShrinker.shrink(gen, v -> {
            if (!property.test(v)) {
                throw new AssertionError("fails at " + v);
            }
        }, failing, new AssertionError("fails at " + failing), 10_000);
        assertTrue(!result.budgetExhausted(), "shrinking ends by itself");
        return result.value();
    }
}
