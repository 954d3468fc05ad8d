package dev.modelc.plan;

import dev.modelc.graph.Node;
import java.util.List;

/** Which reshapes only add or drop dimensions of size 1, and so map indices one to one. */
public final class Reshapes {
    private Reshapes() {
    }

    /** Whether the reshape's input and output agree once dimensions of size 1 are removed. */
    public static boolean isUnitReshape(Node reshape) {
        return withoutOnes(reshape.shape().dims()).equals(withoutOnes(reshape.input(0).shape().dims()));
    }

    private static List<Integer> withoutOnes(List<Integer> dims) {
        return dims.stream().filter(d -> d != 1).toList();
    }
}
