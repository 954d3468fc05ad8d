package dev.modelc.diagnostics;

import java.util.Collection;

/** "Did you mean" hints: the closest known name within a small edit distance. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate, or null when none is close enough to be a likely typo. */
    public static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, Math.min(3, name.length() / 3 + 1));
        for (String candidate : candidates) {
            int d = distance(name, candidate);
            if (d >= name.length() && !candidate.equalsIgnoreCase(name)) {
                continue; // nothing of the name is left: `z` is no hint for `x`
            }
            if (d < bestDistance || (d == bestDistance && best == null)) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null || best.equals(name) ? null : best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
