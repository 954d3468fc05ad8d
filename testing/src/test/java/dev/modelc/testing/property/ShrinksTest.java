package dev.modelc.testing.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShrinksTest {

    @Test
    void integerCandidatesStartAtTheTargetAndEndNextToTheValue() {
        assertEquals(List.of(0, 50, 75, 88, 94, 97, 99), Shrinks.integer(100, 0).toList());
        assertEquals(List.of(0, -5, -8, -9), Shrinks.integer(-10, 0).toList());
        assertEquals(List.of(), Shrinks.integer(3, 3).toList());
    }

    @Test
    void everyDecimalCandidateIsNoFartherFromTheTargetAndDiffersFromTheValue() {
        for (double value : new double[] {7.3312, -2.5, 1e-7, 123456.789, -0.001, 3.0, 1e300}) {
            List<Double> candidates = Shrinks.decimal(value, 0).toList();
            assertTrue(candidates.contains(0.0), value + " offers its target first: " + candidates);
            for (double candidate : candidates) {
                assertTrue(Math.abs(candidate) <= Math.abs(value), candidate + " from " + value);
                assertTrue(candidate != value, "the value itself is no shrink: " + value);
            }
        }
    }

    @Test
    void decimalCandidatesCutDecimalsTowardTheTarget() {
        List<Double> candidates = Shrinks.decimal(1.375, 0).toList();
        assertEquals(List.of(0.0, 1.0, 1.3, 1.37, 0.375, 0.6875), candidates);
        assertEquals(List.of(0.0, -2.0, -2.9 + 2, -2.9 + 1, -1.45), Shrinks.decimal(-2.9, 0).toList());
        assertTrue(Shrinks.decimal(2.0, 2.0).toList().isEmpty());
        assertEquals(List.of(0.0), Shrinks.decimal(Double.NaN, 0).toList());
    }

    @Test
    void removalsDropHalvesThenSingleElementsButKeepTheMinimumSize() {
        List<List<Integer>> candidates = Shrinks.removals(List.of(1, 2, 3, 4), 1).toList();
        assertEquals(List.of(List.of(4), List.of(3, 4), List.of(1, 2),
                List.of(2, 3, 4), List.of(1, 3, 4), List.of(1, 2, 4), List.of(1, 2, 3)), candidates);
        assertTrue(Shrinks.removals(List.of(1, 2), 2).toList().isEmpty());
    }

    @Test
    void elementwiseReplacesOneElementAtATime() {
        List<List<Integer>> candidates = Shrinks.elementwise(List.of(2, 0, 1), v -> Shrinks.integer(v, 0)).toList();
        assertEquals(List.of(List.of(0, 0, 1), List.of(1, 0, 1), List.of(2, 0, 0)), candidates);
    }

    @Test
    void decimalPlacesAreCountedFromTheShortestText() {
        assertEquals(0, Shrinks.decimals(12.0));
        assertEquals(3, Shrinks.decimals(-0.125));
        assertEquals(7, Shrinks.decimals(1e-7));
    }
}
