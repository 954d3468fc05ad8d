package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void nextIntStaysBelowTheBound() {
        Rng rng = new Rng(7);
        for (int bound : new int[] {1, 2, 3, 10, 1 << 30, Integer.MAX_VALUE}) {
            for (int i = 0; i < 10_000; i++) {
                int value = rng.nextInt(bound);
                assertTrue(value >= 0 && value < bound, value + " for bound " + bound);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0));
    }

    @Test
    void nextIntIsEvenlySpread() {
        Rng rng = new Rng(11);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[rng.nextInt(3)]++;
        }
        // Each count is binomial(30000, 1/3): mean 10000, deviation about 82.
        for (int count : counts) {
            assertTrue(Math.abs(count - 10_000) < 400, Arrays.toString(counts));
        }
    }

    @Test
    void shuffleIsASeededPermutation() {
        int[] a = shuffled(100, 5);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        int[] identity = new int[100];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
        assertArrayEquals(a, shuffled(100, 5));
        assertFalse(Arrays.equals(a, shuffled(100, 6)));
        assertFalse(Arrays.equals(a, identity));
    }

    @Test
    void shuffleReachesEveryOrderAlike() {
        Rng rng = new Rng(3);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 6000; i++) {
            int[] values = {0, 1, 2};
            rng.shuffle(values);
            counts.merge(Arrays.toString(values), 1, Integer::sum);
        }
        assertEquals(6, counts.size(), counts.toString());
        // Each count is binomial(6000, 1/6): mean 1000, deviation about 29.
        counts.values().forEach(c -> assertTrue(Math.abs(c - 1000) < 150, counts.toString()));
    }

    private static int[] shuffled(int n, long seed) {
        int[] values = new int[n];
        Arrays.setAll(values, i -> i);
        new Rng(seed).shuffle(values);
        return values;
    }
}
