package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Index arithmetic of generated loops: a multi-index is one Java int expression per
 * dimension; values live flat in row-major order, the batch dimension's size being
 * {@code rows}.
 */
final class Indexing {
    static final CodeBlock ZERO = CodeBlock.of("0");

    private Indexing() {
    }

    /** Loop variables {@code i0, i1, ...} for every dimension, for a kernel that writes its own loops. */
    static List<CodeBlock> loopIndex(int rank) {
        List<CodeBlock> index = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            index.add(CodeBlock.of("i$L", d));
        }
        return index;
    }

    /**
     * The loop variables for a shape: {@code i0, i1, ...}, and {@code 0} for a dimension of size 1,
     * which gets no loop ({@link KernelWriter#loops}): a loop of one turn inside the loop over the
     * rows keeps the JIT from vectorizing that loop.
     */
    static List<CodeBlock> loopIndex(Shape shape) {
        List<CodeBlock> index = new ArrayList<>();
        for (int d = 0; d < shape.rank(); d++) {
            index.add(shape.dim(d) == 1 ? ZERO : CodeBlock.of("i$L", d));
        }
        return index;
    }

    /** The size of a dimension as Java: a literal, or {@code rows}. */
    static CodeBlock dim(int dim) {
        return dim == Shape.BATCH ? CodeBlock.of("rows") : CodeBlock.of("$L", dim);
    }

    /** The number of elements of a shape as Java: {@code 640}, {@code rows * 64}. */
    static CodeBlock size(Shape shape) {
        long fixed = shape.sizeWithoutBatch();
        if (!shape.hasBatch()) {
            return CodeBlock.of("$L", fixed);
        }
        return fixed == 1 ? CodeBlock.of("rows") : CodeBlock.of("rows * $L", fixed);
    }

    /** The flat position of {@code index} in a value of {@code shape}: {@code i0 * 64 + i1}. */
    static CodeBlock flat(List<CodeBlock> index, Shape shape) {
        List<CodeBlock> terms = new ArrayList<>();
        for (int d = 0; d < shape.rank(); d++) {
            CodeBlock i = index.get(d);
            if (i.equals(ZERO) || i.toString().equals("0")) {
                continue;
            }
            List<CodeBlock> factors = new ArrayList<>();
            long literal = 1;
            for (int e = d + 1; e < shape.rank(); e++) {
                if (shape.dim(e) == Shape.BATCH) {
                    factors.add(CodeBlock.of("rows"));
                } else {
                    literal *= shape.dim(e);
                }
            }
            if (literal != 1 || factors.isEmpty()) {
                factors.add(0, CodeBlock.of("$L", literal));
            }
            boolean unit = factors.size() == 1 && factors.get(0).toString().equals("1");
            CodeBlock factor = isSimple(i) ? i : CodeBlock.of("($L)", i);
            terms.add(unit ? i : CodeBlock.of("$L * $L", factor, CodeBlock.join(factors, " * ")));
        }
        return terms.isEmpty() ? ZERO : CodeBlock.join(terms, " + ");
    }

    /** A name, an array element, either cast to int, or a number: an index that needs no parentheses as a factor. */
    private static boolean isSimple(CodeBlock index) {
        return index.toString().matches("(\\(int\\) )?[A-Za-z_][A-Za-z_0-9]*(\\[[^\\[\\]]*\\])?|[0-9]+");
    }

    /** The index without the given axes, as a reduction's output sees it. */
    static List<CodeBlock> without(List<CodeBlock> index, List<Integer> axes) {
        List<CodeBlock> rest = new ArrayList<>();
        for (int d = 0; d < index.size(); d++) {
            if (!axes.contains(d)) {
                rest.add(index.get(d));
            }
        }
        return rest;
    }

    /** The index with {@code inserted} placed at {@code axis}. */
    static List<CodeBlock> with(List<CodeBlock> index, int axis, CodeBlock inserted) {
        List<CodeBlock> full = new ArrayList<>(index);
        full.add(axis, inserted);
        return full;
    }

    /**
     * Maps an index over {@code to} onto {@code from} when the two differ only by dimensions
     * of size 1: the other dimensions correspond in order.
     */
    static List<CodeBlock> throughUnitReshape(List<CodeBlock> index, Shape to, Shape from) {
        List<CodeBlock> significant = new ArrayList<>();
        for (int d = 0; d < to.rank(); d++) {
            if (to.dim(d) != 1) {
                significant.add(index.get(d));
            }
        }
        List<CodeBlock> mapped = new ArrayList<>();
        int next = 0;
        for (int d = 0; d < from.rank(); d++) {
            mapped.add(from.dim(d) == 1 ? ZERO : significant.get(next++));
        }
        return mapped;
    }
}
